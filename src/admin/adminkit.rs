//! The admin kit: one validated policy rendered into what each browser and platform reads —
//! Windows registry files (Chrome, Edge, Cốc Cốc), Linux policy JSON, a macOS configuration
//! profile and Firefox's `policies.json`. `canhgiac admin-kit --policy FILE` writes the real kit;
//! `./build.sh` writes a template kit into `dist/admin/` ([`render_template`]): no organisation
//! values, and every file says how to make the real one.

use std::fmt::Write as _;

use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::policy::keys::Text;
use crate::policy::{KeyKind, Language, Policy, Severity, KEY_SPECS};

/// The Chrome Web Store's update URL, used when the extension comes from the store.
pub const WEB_STORE_UPDATE_URL: &str = "https://clients2.google.com/service/update2/crx";
/// The Edge Add-ons update URL.
pub const EDGE_UPDATE_URL: &str = "https://edge.microsoft.com/extensionwebstorebase/v1/crx";

/// Where Chromium browsers install the extension from; it decides the ID every file names,
/// since each store gives its listing an ID of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The Chrome Web Store listing (its ID). Chrome, Chromium, Cốc Cốc and Edge all install
    /// from it: Edge accepts the Chrome Web Store's update URL in its force-install list.
    ChromeWebStore,
    /// The Edge Add-ons listing (its ID). Only Edge installs from it, so the kit holds Edge's
    /// files alone.
    EdgeAddons,
    /// The organisation's own server: a CRX signed with its key (that key's ID) and the
    /// `updates.xml` at this URL.
    SelfHosted(String),
}

impl Source {
    /// The update URL a browser's force-install entry names.
    fn update_url(&self) -> &str {
        match self {
            Source::ChromeWebStore => WEB_STORE_UPDATE_URL,
            Source::EdgeAddons => EDGE_UPDATE_URL,
            Source::SelfHosted(url) => url,
        }
    }

    /// Whether the kit configures browser `name` (chrome, chromium, edge, coccoc).
    fn serves(&self, name: &str) -> bool {
        !matches!(self, Source::EdgeAddons) || name == "edge"
    }

    /// A short description for the kit's README.
    fn describe(&self) -> String {
        match self {
            Source::ChromeWebStore => {
                "the Chrome Web Store (Chrome, Chromium, Cốc Cốc and Edge)".into()
            }
            Source::EdgeAddons => "Edge Add-ons (Microsoft Edge only)".into(),
            Source::SelfHosted(url) => format!("your own server, {url}"),
        }
    }
}

/// What the kit needs besides the policy.
#[derive(Clone, Debug)]
pub struct KitOptions {
    /// The Chromium extension ID (32 letters a–p) of the copy `source` installs.
    pub extension_id: String,
    /// Firefox add-on ID (`browser_specific_settings.gecko.id`).
    pub gecko_id: String,
    /// Where Chromium browsers install from.
    pub source: Source,
    /// Where Firefox downloads the signed `.xpi` (an `https://` or `file://` address); `None`
    /// writes a placeholder and the instructions to replace it (see [`FIREFOX_URL_PLACEHOLDER`]).
    pub firefox_install_url: Option<String>,
}

/// One file of the kit: a path relative to the kit folder and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KitFile {
    /// Relative path, with `/`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The Chromium extension ID for a manifest `key` (base64 of the DER public key): the first
/// 32 hex digits of its SHA-256, each mapped 0–f → a–p.
pub fn extension_id(manifest_key_b64: &str) -> Result<String, String> {
    let der = base64::engine::general_purpose::STANDARD
        .decode(manifest_key_b64.trim())
        .map_err(|e| format!("the manifest key is not base64: {e}"))?;
    let digest = Sha256::digest(&der);
    Ok(digest[..16]
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .map(|n| char::from(b'a' + n))
        .collect())
}

/// The update URL of the template kit: `.invalid` never resolves, so a template deployed by
/// mistake installs nothing and configures nothing.
pub const TEMPLATE_UPDATE_URL: &str = "https://example.invalid/canhgiac/updates.xml";

/// The note every file of the template kit carries (without `--`, which XML comments forbid;
/// the README and the .reg files give the command itself).
const TEMPLATE_NOTE: &str = "TEMPLATE made without a policy: no report endpoint, no feeds, no protected domains, and an update address that never resolves. Do not deploy it. Make the real kit with canhgiac admin-kit and your policy file (README.txt, docs/admin.md).";

/// The command that makes the real kit, for the README and the .reg files.
const REAL_KIT_COMMAND: &str = "canhgiac admin-kit --policy my-policy.json --out kit --store chrome --extension-id <ID of the Chrome Web Store listing>\n    (or --store edge --extension-id <Edge Add-ons ID>, or --store self --update-url https://<your server>/updates.xml --extension-id <your key's ID>)";

/// Renders the kit for `policy_text`. Refuses a policy with errors (warnings are listed in the
/// kit's README so the admin sees them).
pub fn render(policy_text: &str, opts: &KitOptions) -> Result<Vec<KitFile>, String> {
    render_kit(policy_text, opts, false)
}

/// Renders the template kit: the files of a real kit with an empty policy, each saying that it
/// is a template and how to make the real one.
pub fn render_template(opts: &KitOptions) -> Result<Vec<KitFile>, String> {
    render_kit("{}", opts, true)
}

fn render_kit(
    policy_text: &str,
    opts: &KitOptions,
    template: bool,
) -> Result<Vec<KitFile>, String> {
    let (_, problems) = Policy::from_json(policy_text);
    let errors: Vec<String> = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| format!("{}: {}", p.key, p.message))
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "the policy has {} error(s):\n  {}",
            errors.len(),
            errors.join("\n  ")
        ));
    }
    if opts.extension_id.len() != 32
        || !opts
            .extension_id
            .bytes()
            .all(|b| (b'a'..=b'p').contains(&b))
    {
        return Err(format!(
            "{:?} is not a Chromium extension ID (32 letters a to p)",
            opts.extension_id
        ));
    }
    let policy: Map<String, Value> = match serde_json::from_str(policy_text) {
        Ok(Value::Object(m)) => m,
        _ => return Err("the policy must be a JSON object".into()),
    };
    let id = &opts.extension_id;
    let url = opts.source.update_url();
    let note = template.then_some(TEMPLATE_NOTE);

    let linux = |url: &str| {
        let doc = json!({
            "ExtensionInstallForcelist": [format!("{id};{url}")],
            "3rdparty": { "extensions": { id.as_str(): policy } }
        });
        serde_json::to_vec_pretty(&doc).unwrap_or_default()
    };
    let warnings: Vec<String> = problems
        .iter()
        .map(|p| format!("- {}: {}", p.key, p.message))
        .collect();
    let mut files = Vec::new();
    for name in ["chrome", "chromium", "edge"] {
        if opts.source.serves(name) {
            files.push(KitFile {
                path: format!("linux/{name}-canhgiac.json"),
                bytes: linux(url),
            });
        }
    }
    files.extend(firefox_files(
        &opts.gecko_id,
        opts.firefox_install_url.as_deref(),
        &policy,
    )?);
    if opts.source.serves("chrome") {
        files.push(KitFile {
            path: "macos/canhgiac-chrome.mobileconfig".into(),
            bytes: mobileconfig(id, url, &policy, note).into_bytes(),
        });
    }
    let browsers: Vec<&WinBrowser> = WIN_BROWSERS
        .iter()
        .filter(|b| opts.source.serves(b.name))
        .collect();
    for b in &browsers {
        let mut text = reg_file(b.root, id, url, &policy);
        if template {
            text = text.replacen(
                "\r\n\r\n",
                &format!(
                    "\r\n\r\n; {TEMPLATE_NOTE}\r\n; {}\r\n\r\n",
                    REAL_KIT_COMMAND.replace('\n', "\r\n;")
                ),
                1,
            );
        }
        files.push(KitFile {
            path: format!("windows/{}-canhgiac.reg", b.name),
            bytes: utf16_reg(&text),
        });
    }
    files.extend(admx_files(&browsers, id, url, note)?);
    // Intune's ADMX import refuses a template that writes under Software\Policies\Microsoft, so
    // its copy leaves Edge out (Edge takes the .reg file through a script; docs/admin.md), and
    // Intune reads the en-US strings only.
    let intune: Vec<&WinBrowser> = browsers
        .iter()
        .copied()
        .filter(|b| b.name != "edge")
        .collect();
    if !intune.is_empty() {
        for f in admx_files(&intune, id, url, note)? {
            if !f.path.contains("/vi-VN/") {
                files.push(KitFile {
                    path: f.path.replacen("windows/admx/", "windows/intune/", 1),
                    bytes: f.bytes,
                });
            }
        }
    }
    files.push(KitFile {
        path: "README.txt".into(),
        bytes: readme(id, &opts.gecko_id, &opts.source, &warnings, template).into_bytes(),
    });
    Ok(files)
}

/// A `.reg` file: force-install plus the extension's managed configuration. Booleans and
/// integers are DWORDs; strings stay strings; lists and objects are JSON strings, which Chromium
/// reads through the extension's schema (lists wrapped in `[]`).
fn reg_file(root: &str, id: &str, update_url: &str, policy: &Map<String, Value>) -> String {
    let mut s = String::from("Windows Registry Editor Version 5.00\r\n\r\n");
    let _ = write!(
        s,
        "[HKEY_LOCAL_MACHINE\\{root}\\ExtensionInstallForcelist]\r\n\"1\"=\"{}\"\r\n\r\n",
        reg_escape(&format!("{id};{update_url}"))
    );
    let _ = write!(
        s,
        "[HKEY_LOCAL_MACHINE\\{root}\\3rdparty\\extensions\\{id}\\policy]\r\n"
    );
    for (k, v) in policy {
        let value = match v {
            Value::Bool(b) => format!("dword:{:08x}", u32::from(*b)),
            Value::Number(n) if n.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => {
                format!("dword:{:08x}", n.as_u64().unwrap_or_default())
            }
            Value::String(text) => format!("\"{}\"", reg_escape(text)),
            other => format!("\"{}\"", reg_escape(&other.to_string())),
        };
        let _ = write!(s, "\"{}\"={value}\r\n", reg_escape(k));
    }
    s
}

/// A Windows browser the kit configures: its name in file and policy names, its policy root
/// under `HKEY_LOCAL_MACHINE`, and its display names.
struct WinBrowser {
    name: &'static str,
    root: &'static str,
    display_en: &'static str,
    display_vi: &'static str,
}

/// Chrome, Edge and Cốc Cốc on Windows. Cốc Cốc's root is unconfirmed on a real machine (see
/// docs/admin.md); it follows the vendor\product pattern the other two use.
const WIN_BROWSERS: &[WinBrowser] = &[
    WinBrowser {
        name: "chrome",
        root: r"Software\Policies\Google\Chrome",
        display_en: "Google Chrome",
        display_vi: "Google Chrome",
    },
    WinBrowser {
        name: "edge",
        root: r"Software\Policies\Microsoft\Edge",
        display_en: "Microsoft Edge",
        display_vi: "Microsoft Edge",
    },
    WinBrowser {
        name: "coccoc",
        root: r"Software\Policies\CocCoc\Browser",
        display_en: "Cốc Cốc",
        display_vi: "Cốc Cốc",
    },
];

/// What Group Policy shows for one policy: a title and an explanation, in each language.
struct PolicyText {
    title_en: &'static str,
    explain_en: &'static str,
    title_vi: &'static str,
    explain_vi: &'static str,
}

/// Display text for the force-install policy.
const FORCE_INSTALL_TEXT: PolicyText = PolicyText {
    title_en: "Install Cảnh Giác and keep it installed",
    explain_en: "Adds Cảnh Giác to the browser's list of force-installed extensions (ExtensionInstallForcelist, entry \"1\"). Users cannot remove or disable it.\n\nIf you already force-install other extensions with the browser's own template, leave this policy Not Configured and add this line to that list instead: {entry}\n\nBoth write the same numbered entries and would overwrite each other.\n\nOn Windows machines not joined to an Active Directory domain, browsers force-install only extensions from their own store.",
    title_vi: "Cài Cảnh Giác và giữ luôn được cài",
    explain_vi: "Thêm Cảnh Giác vào danh sách tiện ích bắt buộc cài của trình duyệt (ExtensionInstallForcelist, mục \"1\"). Người dùng không gỡ hay tắt được tiện ích.\n\nNếu đơn vị đã bắt buộc cài tiện ích khác bằng mẫu chính sách của trình duyệt, hãy để chính sách này ở Not Configured (Chưa cấu hình) và thêm dòng sau vào danh sách đó: {entry}\n\nCả hai cùng ghi các mục đánh số và sẽ ghi đè lẫn nhau.\n\nTrên máy Windows không tham gia miền Active Directory, trình duyệt chỉ bắt buộc cài tiện ích từ cửa hàng của chính nó.",
};

/// The display name of an enum key's value (the `language` key's are the only ones).
fn enum_item(value: &str) -> Option<Text> {
    Language::parse(value).map(Language::display)
}

/// The ADMX templates: one `canhgiac.admx` with a category per browser, and its string tables
/// in `en-US` and `vi-VN`. One file rather than one per browser because Group Policy keeps every
/// template in one folder (the central store), where three `canhgiac.admx` could not coexist,
/// and one pair of ADML tables serves all three browsers.
fn admx_files(
    browsers: &[&WinBrowser],
    id: &str,
    url: &str,
    note: Option<&str>,
) -> Result<Vec<KitFile>, String> {
    // Every key's text is in its row of the key table; an enum value needs its display name.
    for spec in KEY_SPECS {
        if let KeyKind::Enum(values) = spec.kind {
            for v in values {
                enum_item(v).ok_or_else(|| {
                    format!("the admin templates have no name for {}={v:?}", spec.name)
                })?;
            }
        }
    }
    let admx = admx(browsers, id, url, note);
    let entries: Vec<(&str, String)> = browsers
        .iter()
        .map(|b| (b.name, format!("{id};{url}")))
        .collect();
    Ok(vec![
        KitFile {
            path: "windows/admx/canhgiac.admx".into(),
            bytes: admx.into_bytes(),
        },
        KitFile {
            path: "windows/admx/en-US/canhgiac.adml".into(),
            bytes: adml(browsers, &entries, false, note).into_bytes(),
        },
        KitFile {
            path: "windows/admx/vi-VN/canhgiac.adml".into(),
            bytes: adml(browsers, &entries, true, note).into_bytes(),
        },
    ])
}

const ADMX_NS: &str = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";

/// `canhgiac.admx`: for each browser, a force-install policy and one policy per key, all writing
/// under the browser's `3rdparty\extensions\<id>\policy` key with the types Chromium's registry
/// reader converts through the extension's schema.
fn admx(browsers: &[&WinBrowser], id: &str, url: &str, note: Option<&str>) -> String {
    let mut s = String::new();
    for line in [
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        &xml_note(note),
        &format!("<policyDefinitions xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" revision=\"1.0\" schemaVersion=\"1.0\" xmlns=\"{ADMX_NS}\">"),
        "  <policyNamespaces>",
        "    <target prefix=\"canhgiac\" namespace=\"CanhGiac.Policies.Extension\"/>",
        "  </policyNamespaces>",
        "  <resources minRequiredRevision=\"1.0\"/>",
        "  <supportedOn>",
        "    <definitions>",
        "      <definition name=\"SUPPORTED_CANHGIAC\" displayName=\"$(string.SUPPORTED_CANHGIAC)\"/>",
        "    </definitions>",
        "  </supportedOn>",
        "  <categories>",
        "    <category name=\"canhgiac\" displayName=\"$(string.canhgiac)\"/>",
    ]
    .iter()
    .filter(|l| !l.is_empty())
    {
        s.push_str(line);
        s.push_str("\r\n");
    }
    for b in browsers {
        let _ = write!(
            s,
            "    <category name=\"canhgiac_{0}\" displayName=\"$(string.canhgiac_{0})\">\r\n      <parentCategory ref=\"canhgiac\"/>\r\n    </category>\r\n",
            b.name
        );
    }
    s.push_str("  </categories>\r\n  <policies>\r\n");
    for b in browsers {
        let head = |s: &mut String,
                    name: &str,
                    explain: &str,
                    key: &str,
                    value_name: Option<&str>,
                    presentation: bool| {
            let _ = write!(
                s,
                "    <policy name=\"{0}_{name}\" class=\"Machine\" displayName=\"$(string.{name})\" explainText=\"$(string.{explain})\"{1} key=\"{2}\"{3}>\r\n      <parentCategory ref=\"canhgiac_{0}\"/>\r\n      <supportedOn ref=\"SUPPORTED_CANHGIAC\"/>\r\n",
                b.name,
                if presentation { format!(" presentation=\"$(presentation.{name})\"") } else { String::new() },
                xml_escape(key),
                value_name.map(|v| format!(" valueName=\"{}\"", xml_escape(v))).unwrap_or_default(),
            );
        };
        // Force-install: entry "1" of the browser's own list (Chromium reads only numbered values).
        let list_key = format!(r"{}\ExtensionInstallForcelist", b.root);
        // Its explanation names the exact entry, which differs by browser (Edge's store).
        let explain = format!("forceInstall_{}_Explain", b.name);
        head(&mut s, "forceInstall", &explain, &list_key, None, false);
        let _ = write!(
            s,
            "      <enabledList>\r\n        <item key=\"{}\" valueName=\"1\">\r\n          <value>\r\n            <string>{}</string>\r\n          </value>\r\n        </item>\r\n      </enabledList>\r\n    </policy>\r\n",
            xml_escape(&list_key),
            xml_escape(&format!("{id};{url}"))
        );
        let key = format!(r"{}\3rdparty\extensions\{id}\policy", b.root);
        for spec in KEY_SPECS {
            let name = spec.name;
            let explain = format!("{name}_Explain");
            match spec.kind {
                KeyKind::Bool => {
                    head(&mut s, name, &explain, &key, Some(name), false);
                    s.push_str("      <enabledValue>\r\n        <decimal value=\"1\"/>\r\n      </enabledValue>\r\n      <disabledValue>\r\n        <decimal value=\"0\"/>\r\n      </disabledValue>\r\n");
                }
                KeyKind::Integer { min, max, .. } => {
                    head(&mut s, name, &explain, &key, None, true);
                    let _ = write!(
                        s,
                        "      <elements>\r\n        <decimal id=\"{name}\" valueName=\"{name}\" minValue=\"{min}\" maxValue=\"{max}\" required=\"true\"/>\r\n      </elements>\r\n"
                    );
                }
                // JSON text goes in one REG_SZ: Chromium parses a string as JSON when the
                // schema wants an object or a list. The length allows a long feed list.
                KeyKind::Text | KeyKind::Json => {
                    head(&mut s, name, &explain, &key, None, true);
                    let _ = write!(
                        s,
                        "      <elements>\r\n        <text id=\"{name}\" valueName=\"{name}\" maxLength=\"1000000\" required=\"true\"/>\r\n      </elements>\r\n"
                    );
                }
                // Chromium's convention for a list: a sub-key named after the policy holding
                // the values "1", "2", … (valuePrefix "" numbers them from 1).
                KeyKind::List => {
                    head(&mut s, name, &explain, &key, None, true);
                    let _ = write!(
                        s,
                        "      <elements>\r\n        <list id=\"{name}\" key=\"{}\" valuePrefix=\"\"/>\r\n      </elements>\r\n",
                        xml_escape(&format!(r"{key}\{name}"))
                    );
                }
                KeyKind::Enum(values) => {
                    head(&mut s, name, &explain, &key, None, true);
                    let _ = write!(
                        s,
                        "      <elements>\r\n        <enum id=\"{name}\" valueName=\"{name}\" required=\"true\">\r\n"
                    );
                    for v in values {
                        let _ = write!(
                            s,
                            "          <item displayName=\"$(string.{name}_{v})\">\r\n            <value>\r\n              <string>{}</string>\r\n            </value>\r\n          </item>\r\n",
                            xml_escape(v)
                        );
                    }
                    s.push_str("        </enum>\r\n      </elements>\r\n");
                }
            }
            s.push_str("    </policy>\r\n");
        }
    }
    s.push_str("  </policies>\r\n</policyDefinitions>\r\n");
    s
}

/// One ADML string table (English, or Vietnamese when `vi`), with the presentation of every
/// policy that has an input.
fn adml(
    browsers: &[&WinBrowser],
    entries: &[(&str, String)],
    vi: bool,
    note: Option<&str>,
) -> String {
    let pick = |en: &'static str, vn: &'static str| if vi { vn } else { en };
    let mut strings: Vec<(String, String)> = vec![
        ("canhgiac".into(), "Cảnh Giác".into()),
        (
            "SUPPORTED_CANHGIAC".into(),
            pick(
                "Cảnh Giác in a Chromium-based browser (Chrome, Edge, Cốc Cốc)",
                "Cảnh Giác trên trình duyệt nhân Chromium (Chrome, Edge, Cốc Cốc)",
            )
            .into(),
        ),
        (
            "forceInstall".into(),
            pick(FORCE_INSTALL_TEXT.title_en, FORCE_INSTALL_TEXT.title_vi).into(),
        ),
    ];
    for (browser, entry) in entries {
        strings.push((
            format!("forceInstall_{browser}_Explain"),
            pick(FORCE_INSTALL_TEXT.explain_en, FORCE_INSTALL_TEXT.explain_vi)
                .replace("{entry}", entry),
        ));
    }
    for b in browsers {
        strings.push((
            format!("canhgiac_{}", b.name),
            pick(b.display_en, b.display_vi).into(),
        ));
    }
    let mut presentations = String::new();
    for spec in KEY_SPECS {
        let name = spec.name;
        let t = spec.template;
        let title = pick(t.title.en, t.title.vi);
        strings.push((name.into(), title.into()));
        strings.push((
            format!("{name}_Explain"),
            pick(t.explain.en, t.explain.vi).into(),
        ));
        let label = xml_escape(title);
        let control = match spec.kind {
            KeyKind::Integer { default, .. } => format!(
                "<decimalTextBox refId=\"{name}\" defaultValue=\"{default}\">{label}</decimalTextBox>"
            ),
            KeyKind::Text | KeyKind::Json => {
                format!("<textBox refId=\"{name}\">\r\n          <label>{label}</label>\r\n        </textBox>")
            }
            KeyKind::List => format!("<listBox refId=\"{name}\">{label}</listBox>"),
            KeyKind::Enum(values) => {
                for v in values {
                    if let Some(text) = enum_item(v) {
                        strings.push((format!("{name}_{v}"), pick(text.en, text.vi).into()));
                    }
                }
                format!("<dropdownList refId=\"{name}\" defaultItem=\"0\" noSort=\"true\">{label}</dropdownList>")
            }
            KeyKind::Bool => continue, // Enabled/Disabled is the whole input
        };
        let _ = write!(
            presentations,
            "      <presentation id=\"{name}\">\r\n        {control}\r\n      </presentation>\r\n"
        );
    }
    let description = pick(
        "Policies of the Cảnh Giác extension for Chrome, Edge and Cốc Cốc",
        "Chính sách của tiện ích Cảnh Giác cho Chrome, Edge và Cốc Cốc",
    );
    let mut s = String::new();
    for line in [
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        &xml_note(note),
        &format!("<policyDefinitionResources xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" revision=\"1.0\" schemaVersion=\"1.0\" xmlns=\"{ADMX_NS}\">"),
        "  <displayName>Cảnh Giác</displayName>",
        &format!("  <description>{}</description>", xml_escape(description)),
        "  <resources>",
        "    <stringTable>",
    ]
    .iter()
    .filter(|l| !l.is_empty())
    {
        s.push_str(line);
        s.push_str("\r\n");
    }
    for (id, text) in &strings {
        let _ = write!(
            s,
            "      <string id=\"{}\">{}</string>\r\n",
            xml_escape(id),
            xml_escape(text)
        );
    }
    s.push_str("    </stringTable>\r\n    <presentationTable>\r\n");
    s.push_str(&presentations);
    s.push_str("    </presentationTable>\r\n  </resources>\r\n</policyDefinitionResources>\r\n");
    s
}

/// The template note as an XML comment line (empty for a real kit; the note has no `--`).
fn xml_note(note: Option<&str>) -> String {
    note.map(|n| format!("<!-- {n} -->")).unwrap_or_default()
}

fn reg_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `.reg` files hold Vietnamese names only as UTF-16LE with a byte-order mark.
fn utf16_reg(s: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn plist_value(v: &Value, indent: usize, out: &mut String) {
    let pad = "\t".repeat(indent);
    match v {
        Value::Null => {}
        Value::Bool(b) => {
            let _ = writeln!(out, "{pad}<{}/>", if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            let _ = writeln!(out, "{pad}<integer>{n}</integer>");
        }
        Value::String(s) => {
            let _ = writeln!(out, "{pad}<string>{}</string>", xml_escape(s));
        }
        Value::Array(items) => {
            let _ = writeln!(out, "{pad}<array>");
            for i in items {
                plist_value(i, indent + 1, out);
            }
            let _ = writeln!(out, "{pad}</array>");
        }
        Value::Object(map) => {
            let _ = writeln!(out, "{pad}<dict>");
            for (k, v) in map {
                let _ = writeln!(out, "{pad}\t<key>{}</key>", xml_escape(k));
                plist_value(v, indent + 1, out);
            }
            let _ = writeln!(out, "{pad}</dict>");
        }
    }
}

/// A macOS configuration profile: Chrome's force-install list and, in the
/// `com.google.Chrome.extensions.<id>` domain, the extension's configuration.
fn mobileconfig(
    id: &str,
    update_url: &str,
    policy: &Map<String, Value>,
    note: Option<&str>,
) -> String {
    // Stable identifiers derived from the extension ID, so re-deploying replaces the profile.
    let uuid = |salt: &str| {
        let d = Sha256::digest(format!("{salt}{id}").as_bytes());
        let h: String = d[..16].iter().map(|b| format!("{b:02X}")).collect();
        format!(
            "{}-{}-4{}-A{}-{}",
            &h[..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    };
    let mut chrome = Map::new();
    chrome.insert("PayloadType".into(), json!("com.google.Chrome"));
    chrome.insert(
        "PayloadIdentifier".into(),
        json!(format!("vn.canhgiac.chrome.{id}")),
    );
    chrome.insert("PayloadUUID".into(), json!(uuid("chrome")));
    chrome.insert("PayloadVersion".into(), json!(1));
    chrome.insert(
        "ExtensionInstallForcelist".into(),
        json!([format!("{id};{update_url}")]),
    );
    let mut ext = policy.clone();
    ext.insert(
        "PayloadType".into(),
        json!(format!("com.google.Chrome.extensions.{id}")),
    );
    ext.insert(
        "PayloadIdentifier".into(),
        json!(format!("vn.canhgiac.extension.{id}")),
    );
    ext.insert("PayloadUUID".into(), json!(uuid("extension")));
    ext.insert("PayloadVersion".into(), json!(1));
    let profile = json!({
        "PayloadContent": [Value::Object(chrome), Value::Object(ext)],
        "PayloadDisplayName": "Cảnh Giác",
        "PayloadDescription": match note {
            Some(n) => format!("{n} {}", REAL_KIT_COMMAND.replace('\n', "")),
            None => "Cài và cấu hình tiện ích Cảnh Giác cho Google Chrome / Installs and configures Cảnh Giác for Google Chrome".into(),
        },
        "PayloadIdentifier": format!("vn.canhgiac.profile.{id}"),
        "PayloadType": "Configuration",
        "PayloadUUID": uuid("profile"),
        "PayloadVersion": 1
    });
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if note.is_some() {
        out.push_str(&xml_note(note));
        out.push('\n');
    }
    out.push_str("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n");
    plist_value(&profile, 0, &mut out);
    out.push_str("</plist>\n");
    out
}

/// The install address written when the admin gave none: never reachable (`.invalid`), and
/// saying what belongs there.
pub const FIREFOX_URL_PLACEHOLDER: &str =
    "https://example.invalid/REPLACE-with-the-https-address-of-your-signed-canhgiac.xpi";

/// Firefox's part of the kit: `policies.json` (force-install from `install_url` plus the
/// extension's configuration under `3rdparty`) and a README on signing and where Firefox reads it.
fn firefox_files(
    gecko_id: &str,
    install_url: Option<&str>,
    policy: &Map<String, Value>,
) -> Result<Vec<KitFile>, String> {
    if let Some(url) = install_url {
        // Firefox installs from https:// (or a file:// path on the machine); http:// would let
        // anyone on the way swap the package, and anything else never installs.
        let parsed = url::Url::parse(url)
            .map_err(|e| format!("--firefox-install-url {url:?} is not an address: {e}"))?;
        if !matches!(parsed.scheme(), "https" | "file") {
            return Err(format!(
                "--firefox-install-url {url:?} must be an https:// (or file://) address of the signed .xpi"
            ));
        }
    }
    let doc = json!({
        "policies": {
            "ExtensionSettings": {
                gecko_id: {
                    "installation_mode": "force_installed",
                    "install_url": install_url.unwrap_or(FIREFOX_URL_PLACEHOLDER)
                }
            },
            "3rdparty": { "Extensions": { gecko_id: policy } }
        }
    });
    let mut notes = String::from(
        "Cảnh Giác for Firefox\n=====================\n\
         policies.json force-installs the add-on and carries its configuration (3rdparty.Extensions).\n\n",
    );
    match install_url {
        Some(url) => {
            let _ = writeln!(
                notes,
                "Firefox installs the signed package from:\n  {url}\n"
            );
        }
        None => {
            let _ = writeln!(
                notes,
                "NOT READY: no install address was given, so policies.json holds a placeholder:\n  {FIREFOX_URL_PLACEHOLDER}\n\
                 Firefox cannot install from it. Get the package signed (below), put it on an https:// server\n\
                 of yours, and make the kit again with  canhgiac admin-kit ... --firefox-install-url https://.../canhgiac.xpi\n"
            );
        }
    }
    for line in [
        "A signed package. Firefox (release and ESR) installs only add-ons Mozilla has signed. For an",
        "organisation's own copy the supported route is addons.mozilla.org's unlisted channel: the add-on is",
        "signed but not listed in the store. With an AMO account and API credentials",
        "(https://addons.mozilla.org/developers/addon/api/key/):",
        "  npx web-ext sign --channel unlisted --source-dir dist/firefox --api-key $AMO_JWT_ISSUER --api-secret $AMO_JWT_SECRET",
        "or upload dist/canhgiac-<version>.xpi through the AMO API (POST /api/v5/addons/upload/, channel",
        "\"unlisted\"). The signed .xpi it returns is what install_url must point to; serve it over https.",
        "The add-on ID is fixed in the package (browser_specific_settings.gecko.id), so it matches policies.json.",
        "",
        "Where Firefox reads policies.json (one file per installation; it is not merged):",
        "  Linux:   /etc/firefox/policies/policies.json  (wins over the one below)",
        "           <install folder>/distribution/policies.json, e.g. /usr/lib/firefox-esr/distribution/ for Debian's",
        "           firefox-esr. /etc/firefox-esr/policies/ is NOT read.",
        "  Windows: <install folder>\\distribution\\policies.json, or Group Policy with Mozilla's ADMX templates.",
        "  macOS:   Firefox.app/Contents/Resources/distribution/policies.json, or a configuration profile.",
        "Check the result at about:policies.",
    ] {
        notes.push_str(line);
        notes.push('\n');
    }
    Ok(vec![
        KitFile {
            path: "firefox/policies.json".into(),
            bytes: serde_json::to_vec_pretty(&doc).unwrap_or_default(),
        },
        KitFile {
            path: "firefox/README.txt".into(),
            bytes: notes.into_bytes(),
        },
    ])
}

fn readme(id: &str, gecko: &str, source: &Source, warnings: &[String], template: bool) -> String {
    let mut s = String::from("Cảnh Giác admin kit\n===================\n");
    if template {
        let _ = write!(
            s,
            "THIS IS A TEMPLATE, NOT A KIT TO DEPLOY.\n{TEMPLATE_NOTE}\nIt shows the files a real kit holds. Make the real one with:\n  {REAL_KIT_COMMAND}\n\
             The ID to name: the Chrome Web Store or Edge Add-ons listing's own ID (in its address), or for\n\
             a self-hosted CRX the ID scripts/pack-crx.py prints for your signing key. docs/admin.md has every step.\n\n"
        );
    }
    let _ = write!(
        s,
        "Chromium extension ID: {id}\nInstalled from:        {}\nFirefox add-on ID:     {gecko}\n\n",
        source.describe()
    );
    if *source == Source::EdgeAddons {
        s.push_str("Edge Add-ons serves Edge alone, so this kit holds only Edge's files. For Chrome and Cốc Cốc make a\nsecond kit with --store chrome and the Chrome Web Store listing's ID.\n\n");
    }
    for line in [
        "windows/*.reg      Import as administrator (reg import FILE, or Group Policy Preferences).",
        "                   Force-installs the extension and sets its configuration.",
        "windows/admx/      Group Policy templates (canhgiac.admx, en-US and vi-VN .adml): copy into",
        "                   C:\\Windows\\PolicyDefinitions or the domain's central store; then Computer",
        "                   Configuration > Policies > Administrative Templates > Cảnh Giác > <browser>.",
        "                   Use either the .reg files or the templates for a browser, not both.",
        "windows/intune/    The same templates for Intune's ADMX import (Chrome and Cốc Cốc; en-US strings).",
        "linux/*.json       Copy to /etc/opt/chrome/policies/managed/ (Chrome), /etc/chromium/policies/managed/",
        "                   (Chromium) or /etc/opt/edge/policies/managed/ (Edge).",
        "macos/*.mobileconfig  Deploy with your MDM, or open it to install by hand.",
        "firefox/policies.json Copy to /etc/firefox/policies/policies.json (Linux); firefox/README.txt says",
        "                   where else Firefox reads it and how to get the signed package it installs.",
        "",
        "Check the result at chrome://policy (edge://policy, about:policies): the extension's values appear",
        "under its ID. Removal and rollback: docs/admin.md (Vietnamese: docs/admin.vi.md).",
    ] {
        s.push_str(line);
        s.push('\n');
    }
    if !warnings.is_empty() {
        s.push_str("\nThe policy was accepted with these warnings:\n");
        for w in warnings {
            s.push_str(w);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_id_maps_hex_to_letters() {
        // SHA-256 of the bytes "abc" starts ba7816bf8f01cfea414140de5dae2223.
        let id = extension_id(&base64::engine::general_purpose::STANDARD.encode(b"abc")).unwrap();
        assert_eq!(id, "lkhibglpipabmpokebebeanofnkocccd");
        assert!(extension_id("not base64!").is_err());
    }
}
