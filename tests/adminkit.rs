//! The admin kit renders one validated policy into each platform's format, faithfully.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::adminkit::{extension_id, render, KitFile, KitOptions};
use serde_json::Value;

const ID: &str = "abcdefghijklmnopabcdefghijklmnop";

fn opts(update: Option<&str>) -> KitOptions {
    KitOptions {
        extension_id: ID.into(),
        gecko_id: "canhgiac@example.vn".into(),
        update_url: update.map(str::to_string),
        firefox_install_url: "https://updates.example.vn/canhgiac.xpi".into(),
    }
}

fn file<'a>(files: &'a [KitFile], path: &str) -> &'a KitFile {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} missing"))
}

fn policy() -> &'static str {
    include_str!("../admin/example-policy.json")
}

#[test]
fn linux_and_firefox_files_carry_the_policy_unchanged() {
    let files = render(policy(), &opts(None)).unwrap();
    let want: Value = serde_json::from_str(policy()).unwrap();
    for path in [
        "linux/chrome-canhgiac.json",
        "linux/chromium-canhgiac.json",
        "linux/edge-canhgiac.json",
    ] {
        let doc: Value = serde_json::from_slice(&file(&files, path).bytes).unwrap();
        assert_eq!(doc["3rdparty"]["extensions"][ID], want, "{path}");
        assert!(doc["ExtensionInstallForcelist"][0]
            .as_str()
            .unwrap()
            .starts_with(&format!("{ID};https://")));
    }
    let ff: Value = serde_json::from_slice(&file(&files, "firefox/policies.json").bytes).unwrap();
    assert_eq!(
        ff["policies"]["3rdparty"]["Extensions"]["canhgiac@example.vn"],
        want
    );
    assert_eq!(
        ff["policies"]["ExtensionSettings"]["canhgiac@example.vn"]["installation_mode"],
        "force_installed"
    );
}

#[test]
fn registry_files_are_utf16_with_typed_values() {
    let files = render(
        policy(),
        &opts(Some("https://updates.example.vn/canhgiac.xml")),
    )
    .unwrap();
    for name in ["chrome", "edge", "coccoc"] {
        let bytes = &file(&files, &format!("windows/{name}-canhgiac.reg")).bytes;
        assert_eq!(&bytes[..2], &[0xff, 0xfe], "byte-order mark");
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let text = String::from_utf16(&units).unwrap();
        assert!(text.starts_with("Windows Registry Editor Version 5.00\r\n"));
        assert!(
            text.contains(&format!(
                "\"1\"=\"{ID};https://updates.example.vn/canhgiac.xml\""
            )),
            "{text}"
        );
        assert!(text.contains("\"allowBypass\"=dword:00000000"));
        assert!(text.contains("\"bypassMinutes\"=dword:0000000f"));
        assert!(text.contains(
            r#""blockedDomains"="[\"vneid-capnhat.top\",\"dichvucong-gov.vn.xacminh.top\"]""#
        ));
        assert!(text.contains("Phòng CNTT Sở Nội vụ"), "Vietnamese survives");
        assert!(text.contains(&format!("\\3rdparty\\extensions\\{ID}\\policy]")));
    }
}

#[test]
fn the_macos_profile_is_balanced_and_names_the_extension_domain() {
    let files = render(policy(), &opts(None)).unwrap();
    let xml = String::from_utf8(
        file(&files, "macos/canhgiac-chrome.mobileconfig")
            .bytes
            .clone(),
    )
    .unwrap();
    for tag in ["dict", "array", "plist"] {
        assert_eq!(
            xml.matches(&format!("<{tag}")).count(),
            xml.matches(&format!("</{tag}>")).count(),
            "{tag}"
        );
    }
    assert!(xml.contains(&format!(
        "<string>com.google.Chrome.extensions.{ID}</string>"
    )));
    assert!(xml.contains("<key>allowBypass</key>\n\t\t\t<false/>"));
    assert!(xml.contains("Phòng CNTT Sở Nội vụ"));
}

#[test]
fn a_policy_with_errors_makes_no_kit() {
    let err = render(r#"{"allowBypass": "no"}"#, &opts(None)).unwrap_err();
    assert!(err.contains("allowBypass: expected true or false"), "{err}");
    let files = render(r#"{"allowBypass": false, "colour": 1}"#, &opts(None)).unwrap();
    let readme = String::from_utf8(file(&files, "README.txt").bytes.clone()).unwrap();
    assert!(
        readme.contains("colour"),
        "warnings are listed for the admin"
    );
    let mut bad = opts(None);
    bad.extension_id = "xyz".into();
    assert!(render("{}", &bad).is_err());
}

#[test]
fn the_id_follows_from_the_manifest_key() {
    // 'abc' base64-encoded stands in for a DER key: the mapping is what is checked.
    assert_eq!(
        extension_id("YWJj").unwrap(),
        "lkhibglpipabmpokebebeanofnkocccd"
    );
}
