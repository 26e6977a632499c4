//! Downloads: judged by where they came from, their file name and their MIME type together.

use super::{Batch, Engine};
use crate::checks::download::{self, Download};
use crate::checks::sideload;
use crate::tables::FileKind;
use crate::verdict::{Category, Level, Reason, ReasonCode, Verdict};

impl Engine {
    /// Judges a download by its final URL, file name, MIME type and `Content-Disposition`.
    pub fn check_download(&self, d: &Download) -> Verdict {
        let judged = d
            .final_url
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&d.url);
        let mut j = self.judge(judged, 0, &mut Batch::single());
        if judged != d.url {
            // The first URL matters too: a lookalike that redirects to a clean file host.
            let first = self.judge(&d.url, 0, &mut Batch::single());
            j.findings
                .extend(first.findings.into_iter().filter(|f| f.0 >= Level::Warn));
            if first.source.hostile && !j.source.hostile {
                // A hostile first hop (an IP, a lookalike) makes the whole chain hostile: the
                // sideloads found on the final URL are graded again.
                j.source.hostile = true;
                for f in j.findings.iter_mut().filter(|f| f.1 == Category::Sideload) {
                    f.0 = Level::Block;
                }
            }
        }
        j.source.chat |= download::came_from_chat(d);

        let name = d
            .filename
            .as_deref()
            .map(sideload::base_name)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or_else(|| {
                d.content_disposition
                    .as_deref()
                    .and_then(sideload::content_disposition_name)
            });
        if let Some(name) = name {
            let lower = name.to_lowercase();
            if let Some(f) = sideload::classify_name(&lower, false) {
                let code = if f.kind == FileKind::Executable {
                    ReasonCode::ExecutableFile
                } else {
                    ReasonCode::AppPackageFile
                };
                self.sideload(&mut j, f.kind, f.disguised, Reason::new(code, name.clone()));
            }
        }
        if let Some(mime) = d.mime.as_deref() {
            if let Some(kind) = sideload::mime_kind(mime) {
                self.sideload(
                    &mut j,
                    kind,
                    false,
                    Reason::new(ReasonCode::AppPackageMime, mime.trim()),
                );
            }
        }
        self.finish(j)
    }

    /// Whether `now` is the file a warning about `warned` named (see [`download::same_file`]).
    pub fn same_download(&self, warned: &Download, now: &Download) -> bool {
        download::same_file(warned, now)
    }
}
