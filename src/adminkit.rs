//! The admin kit: one validated policy rendered into what each browser and platform reads —
//! Windows registry files (Chrome, Edge, Cốc Cốc), Linux policy JSON, a macOS configuration
//! profile and Firefox's `policies.json`. `canhgiac admin-kit` writes them; `./build.sh` runs it
//! on `admin/example-policy.json` into `dist/admin/`.

use std::fmt::Write as _;

use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::policy::{Policy, Severity};

/// The Chrome Web Store's update URL, used when the extension comes from the store.
pub const WEB_STORE_UPDATE_URL: &str = "https://clients2.google.com/service/update2/crx";
/// The Edge Add-ons update URL.
pub const EDGE_UPDATE_URL: &str = "https://edge.microsoft.com/extensionwebstorebase/v1/crx";

/// What the kit needs besides the policy.
#[derive(Clone, Debug)]
pub struct KitOptions {
    /// The Chromium extension ID (32 letters a–p).
    pub extension_id: String,
    /// Firefox add-on ID (`browser_specific_settings.gecko.id`).
    pub gecko_id: String,
    /// Update URL for force-install; `None` means the browser's own store.
    pub update_url: Option<String>,
    /// Where Firefox downloads the signed `.xpi`.
    pub firefox_install_url: String,
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

/// Renders the kit for `policy_text`. Refuses a policy with errors (warnings are listed in the
/// kit's README so the admin sees them).
pub fn render(policy_text: &str, opts: &KitOptions) -> Result<Vec<KitFile>, String> {
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
    let chrome_url = opts.update_url.as_deref().unwrap_or(WEB_STORE_UPDATE_URL);
    let edge_url = opts.update_url.as_deref().unwrap_or(EDGE_UPDATE_URL);

    let linux = |url: &str| {
        let doc = json!({
            "ExtensionInstallForcelist": [format!("{id};{url}")],
            "3rdparty": { "extensions": { id.as_str(): policy } }
        });
        serde_json::to_vec_pretty(&doc).unwrap_or_default()
    };
    let firefox = json!({
        "policies": {
            "ExtensionSettings": {
                opts.gecko_id.as_str(): { "installation_mode": "force_installed", "install_url": opts.firefox_install_url }
            },
            "3rdparty": { "Extensions": { opts.gecko_id.as_str(): policy } }
        }
    });
    let warnings: Vec<String> = problems
        .iter()
        .map(|p| format!("- {}: {}", p.key, p.message))
        .collect();
    let mut files = vec![
        KitFile {
            path: "linux/chrome-canhgiac.json".into(),
            bytes: linux(chrome_url),
        },
        KitFile {
            path: "linux/chromium-canhgiac.json".into(),
            bytes: linux(chrome_url),
        },
        KitFile {
            path: "linux/edge-canhgiac.json".into(),
            bytes: linux(edge_url),
        },
        KitFile {
            path: "firefox/policies.json".into(),
            bytes: serde_json::to_vec_pretty(&firefox).unwrap_or_default(),
        },
        KitFile {
            path: "macos/canhgiac-chrome.mobileconfig".into(),
            bytes: mobileconfig(id, chrome_url, &policy).into_bytes(),
        },
    ];
    for (name, root, url) in [
        ("chrome", r"SOFTWARE\Policies\Google\Chrome", chrome_url),
        ("edge", r"SOFTWARE\Policies\Microsoft\Edge", edge_url),
        ("coccoc", r"SOFTWARE\Policies\CocCoc\Browser", chrome_url),
    ] {
        files.push(KitFile {
            path: format!("windows/{name}-canhgiac.reg"),
            bytes: utf16_reg(&reg_file(root, id, url, &policy)),
        });
    }
    files.push(KitFile {
        path: "README.txt".into(),
        bytes: readme(id, &opts.gecko_id, &warnings).into_bytes(),
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
fn mobileconfig(id: &str, update_url: &str, policy: &Map<String, Value>) -> String {
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
        "PayloadDescription": "Cài và cấu hình tiện ích Cảnh Giác cho Google Chrome / Installs and configures Cảnh Giác for Google Chrome",
        "PayloadIdentifier": format!("vn.canhgiac.profile.{id}"),
        "PayloadType": "Configuration",
        "PayloadUUID": uuid("profile"),
        "PayloadVersion": 1
    });
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n",
    );
    plist_value(&profile, 0, &mut out);
    out.push_str("</plist>\n");
    out
}

fn readme(id: &str, gecko: &str, warnings: &[String]) -> String {
    let mut s = format!(
        "Cảnh Giác admin kit\n===================\nChromium extension ID: {id}\nFirefox add-on ID:     {gecko}\n\n\
windows/*.reg      Import as administrator (reg import FILE, or Group Policy Preferences).\n\
                   Force-installs the extension and sets its configuration for Chrome, Edge, Cốc Cốc.\n\
linux/*.json       Copy to /etc/opt/chrome/policies/managed/ (Chrome), /etc/chromium/policies/managed/\n\
                   (Chromium) or /etc/opt/edge/policies/managed/ (Edge).\n\
macos/*.mobileconfig  Deploy with your MDM, or open it to install by hand.\n\
firefox/policies.json Copy to the Firefox installation's distribution/ folder.\n\n\
Check the result at chrome://policy (edge://policy, about:policies): the extension's values appear\n\
under its ID. The full guide is docs/admin.md.\n"
    );
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
