//! The admin kit renders one validated policy into each platform's format, faithfully.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::adminkit::{extension_id, render, render_template, KitFile, KitOptions, Source};
use serde_json::Value;

const ID: &str = "abcdefghijklmnopabcdefghijklmnop";

/// Options for a kit installed from the Chrome Web Store (`None`) or from `update`.
fn opts(update: Option<&str>) -> KitOptions {
    KitOptions {
        extension_id: ID.into(),
        gecko_id: "canhgiac@example.vn".into(),
        source: update.map_or(Source::ChromeWebStore, |u| Source::SelfHosted(u.into())),
        firefox_install_url: Some("https://updates.example.vn/canhgiac.xpi".into()),
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

/// A minimal XML reader for the templates: enough to prove them well-formed (one root, balanced
/// and properly nested tags, quoted and unique attributes, known entities only) and to walk them.
mod xml {
    /// An element with its attributes (entities decoded) and child elements; text is dropped.
    #[derive(Debug)]
    pub struct Element {
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub children: Vec<Element>,
        pub text: String,
    }

    impl Element {
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        pub fn child(&self, name: &str) -> Option<&Element> {
            self.children.iter().find(|c| c.name == name)
        }

        pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
            self.children.iter().filter(move |c| c.name == name)
        }

        /// Every element below this one, depth first.
        pub fn descendants(&self) -> Vec<&Element> {
            let mut out = Vec::new();
            for c in &self.children {
                out.push(c);
                out.extend(c.descendants());
            }
            out
        }
    }

    fn is_name(s: &str) -> bool {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
    }

    fn decode(s: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let end = rest[i..]
                .find(';')
                .ok_or_else(|| format!("unterminated entity in {s:?}"))?;
            let ent = &rest[i + 1..i + end];
            out.push(match ent {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let n = ent
                        .strip_prefix("#x")
                        .map(|h| u32::from_str_radix(h, 16))
                        .or_else(|| ent.strip_prefix('#').map(str::parse))
                        .ok_or_else(|| format!("unknown entity &{ent};"))?
                        .map_err(|_| format!("bad character reference &{ent};"))?;
                    char::from_u32(n).ok_or_else(|| format!("bad character &{ent};"))?
                }
            });
            rest = &rest[i + end + 1..];
        }
        if rest.contains('<') {
            return Err(format!("a raw < in {s:?}"));
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Parses a whole document; an error says what is wrong and where.
    pub fn parse(doc: &str) -> Result<Element, String> {
        let mut rest = doc.strip_prefix('\u{feff}').unwrap_or(doc);
        if let Some(r) = rest.strip_prefix("<?xml") {
            let end = r.find("?>").ok_or("unterminated XML declaration")?;
            rest = &r[end + 2..];
        }
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let Some(lt) = rest.find('<') else {
                if !rest.trim().is_empty() && stack.is_empty() {
                    return Err("text after the root element".into());
                }
                break;
            };
            let text = &rest[..lt];
            match stack.last_mut() {
                Some(top) => top.text.push_str(&decode(text)?),
                None if !text.trim().is_empty() => return Err("text outside the root".into()),
                None => {}
            }
            rest = &rest[lt..];
            if let Some(r) = rest.strip_prefix("<!--") {
                let end = r.find("-->").ok_or("unterminated comment")?;
                rest = &r[end + 3..];
                continue;
            }
            let gt = rest.find('>').ok_or("unterminated tag")?;
            let tag = &rest[1..gt];
            rest = &rest[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack
                    .pop()
                    .ok_or_else(|| format!("</{name}> closes nothing"))?;
                if open.name != name.trim() {
                    return Err(format!("<{}> closed by </{name}>", open.name));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(open),
                    None if root.is_none() => root = Some(open),
                    None => return Err("two root elements".into()),
                }
                continue;
            }
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
            let name = &tag[..name_end];
            if !is_name(name) {
                return Err(format!("bad element name {name:?}"));
            }
            let mut attrs: Vec<(String, String)> = Vec::new();
            let mut a = tag[name_end..].trim_start();
            while !a.is_empty() {
                let eq = a
                    .find('=')
                    .ok_or_else(|| format!("attribute without value in <{name}>"))?;
                let key = a[..eq].trim();
                if !is_name(key) || attrs.iter().any(|(k, _)| k == key) {
                    return Err(format!("bad or repeated attribute {key:?} in <{name}>"));
                }
                let v = a[eq + 1..].trim_start();
                let quote = v
                    .chars()
                    .next()
                    .filter(|q| *q == '"' || *q == '\'')
                    .ok_or_else(|| format!("unquoted attribute {key} in <{name}>"))?;
                let close = v[1..]
                    .find(quote)
                    .ok_or_else(|| format!("unterminated attribute {key} in <{name}>"))?;
                attrs.push((key.to_string(), decode(&v[1..1 + close])?));
                let after = &v[close + 2..];
                if !after.is_empty() && !after.starts_with(char::is_whitespace) {
                    return Err(format!("no space after attribute {key} in <{name}>"));
                }
                a = after.trim_start();
            }
            let el = Element {
                name: name.to_string(),
                attrs,
                children: Vec::new(),
                text: String::new(),
            };
            if empty {
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err("two root elements".into()),
                }
            } else {
                if stack.is_empty() && root.is_some() {
                    return Err("two root elements".into());
                }
                stack.push(el);
            }
        }
        if let Some(open) = stack.last() {
            return Err(format!("<{}> is never closed", open.name));
        }
        root.ok_or_else(|| "no root element".to_string())
    }
}

#[test]
fn the_xml_reader_refuses_what_is_not_well_formed() {
    for bad in [
        "<a><b></a></b>",
        "<a>",
        "<a x=1/>",
        "<a x='1' x='2'/>",
        "<a>&nbsp;</a>",
        "<a/><b/>",
        "<a>1 < 2</a>",
        "",
    ] {
        assert!(xml::parse(bad).is_err(), "{bad:?} passed");
    }
    let ok = xml::parse(
        "<?xml version=\"1.0\"?>\r\n<a x=\"&quot;1&quot;\"><!-- c --><b>T&amp;C</b></a>",
    )
    .unwrap();
    assert_eq!(ok.attr("x"), Some("\"1\""));
    assert_eq!(ok.child("b").unwrap().text, "T&C");
}

/// The templates' vendor roots, written out here independently of the kit's own table.
const VENDORS: &[(&str, &str)] = &[
    ("chrome", r"Software\Policies\Google\Chrome"),
    ("edge", r"Software\Policies\Microsoft\Edge"),
    ("coccoc", r"Software\Policies\CocCoc\Browser"),
];

fn text_file(files: &[KitFile], path: &str) -> String {
    String::from_utf8(file(files, path).bytes.clone()).unwrap()
}

/// `$(string.X)` / `$(presentation.X)` references in an attribute value.
fn reference<'a>(value: &'a str, table: &str) -> Option<&'a str> {
    value
        .strip_prefix(&format!("$({table}."))
        .and_then(|r| r.strip_suffix(')'))
}

#[test]
fn the_admin_templates_offer_every_policy_key_with_its_type_for_every_browser() {
    use canhgiac::policy::{KeyKind, KEY_SPECS};
    let update = "https://updates.example.vn/canhgiac.xml";
    // Edge installs from the Chrome Web Store too when the kit names that store's listing.
    for (update_url, edge_url) in [
        (None, canhgiac::adminkit::WEB_STORE_UPDATE_URL),
        (Some(update), update),
    ] {
        let files = render(policy(), &opts(update_url)).unwrap();
        let admx_text = text_file(&files, "windows/admx/canhgiac.admx");
        let admx = xml::parse(&admx_text).unwrap_or_else(|e| panic!("ADMX: {e}"));
        assert_eq!(admx.name, "policyDefinitions");
        let adml: Vec<(&str, xml::Element)> = ["en-US", "vi-VN"]
            .into_iter()
            .map(|lang| {
                let text = text_file(&files, &format!("windows/admx/{lang}/canhgiac.adml"));
                let doc = xml::parse(&text).unwrap_or_else(|e| panic!("{lang} ADML: {e}"));
                assert_eq!(doc.name, "policyDefinitionResources");
                (lang, doc)
            })
            .collect();

        // Every string and presentation the ADMX names exists, non-empty, in both ADMLs.
        for el in std::iter::once(&admx).chain(admx.descendants()) {
            for (_, v) in &el.attrs {
                for (lang, doc) in &adml {
                    let resources = doc.child("resources").unwrap();
                    if let Some(id) = reference(v, "string") {
                        let s = resources
                            .child("stringTable")
                            .unwrap()
                            .all("string")
                            .find(|s| s.attr("id") == Some(id));
                        let s = s.unwrap_or_else(|| panic!("{lang}: no string {id}"));
                        assert!(!s.text.trim().is_empty(), "{lang}: string {id} is empty");
                    }
                    if let Some(id) = reference(v, "presentation") {
                        let p = resources
                            .child("presentationTable")
                            .unwrap()
                            .all("presentation")
                            .find(|p| p.attr("id") == Some(id));
                        let p = p.unwrap_or_else(|| panic!("{lang}: no presentation {id}"));
                        // Each control of the presentation refers to an element of the policy.
                        for control in &p.children {
                            assert_eq!(control.attr("refId"), Some(id), "{lang}: {id}");
                        }
                    }
                }
            }
        }
        let categories: Vec<&str> = admx
            .child("categories")
            .unwrap()
            .all("category")
            .filter_map(|c| c.attr("name"))
            .collect();
        let policies: Vec<&xml::Element> = admx.child("policies").unwrap().all("policy").collect();
        assert_eq!(policies.len(), VENDORS.len() * (KEY_SPECS.len() + 1));
        for (browser, root) in VENDORS {
            let find = |name: &str| {
                policies
                    .iter()
                    .find(|p| p.attr("name") == Some(&format!("{browser}_{name}")))
                    .copied()
                    .unwrap_or_else(|| panic!("no policy {browser}_{name}"))
            };
            let force = find("forceInstall");
            let item = force.child("enabledList").unwrap().child("item").unwrap();
            assert_eq!(
                item.attr("key"),
                Some(format!(r"{root}\ExtensionInstallForcelist").as_str())
            );
            assert_eq!(item.attr("valueName"), Some("1"));
            let url = if *browser == "edge" {
                edge_url
            } else {
                update_url.unwrap_or(canhgiac::adminkit::WEB_STORE_UPDATE_URL)
            };
            assert_eq!(
                item.child("value").unwrap().child("string").unwrap().text,
                format!("{ID};{url}")
            );
            let key = format!(r"{root}\3rdparty\extensions\{ID}\policy");
            for spec in KEY_SPECS {
                let name = spec.name;
                let p = find(name);
                let what = format!("{browser}_{name}");
                assert_eq!(p.attr("key"), Some(key.as_str()), "{what}");
                assert_eq!(p.attr("class"), Some("Machine"), "{what}");
                let parent = p.child("parentCategory").unwrap().attr("ref").unwrap();
                assert_eq!(parent, format!("canhgiac_{browser}"), "{what}");
                assert!(categories.contains(&parent), "{what}");
                let element = |tag: &str| {
                    let el = p
                        .child("elements")
                        .and_then(|e| e.child(tag))
                        .unwrap_or_else(|| panic!("{what}: no <{tag}>"));
                    assert_eq!(el.attr("id"), Some(name), "{what}");
                    assert_eq!(
                        p.child("elements").unwrap().children.len(),
                        1,
                        "{what}: one input"
                    );
                    el
                };
                match spec.kind {
                    KeyKind::Bool => {
                        assert_eq!(p.attr("valueName"), Some(name), "{what}");
                        for (state, want) in [("enabledValue", "1"), ("disabledValue", "0")] {
                            let d = p.child(state).and_then(|v| v.child("decimal"));
                            assert_eq!(d.and_then(|d| d.attr("value")), Some(want), "{what}");
                        }
                        assert!(p.child("elements").is_none(), "{what}");
                    }
                    KeyKind::Integer { min, max, .. } => {
                        let d = element("decimal");
                        assert_eq!(d.attr("valueName"), Some(name), "{what}");
                        assert_eq!(d.attr("minValue"), Some(min.to_string().as_str()));
                        assert_eq!(d.attr("maxValue"), Some(max.to_string().as_str()));
                    }
                    KeyKind::Text | KeyKind::Json => {
                        let t = element("text");
                        assert_eq!(t.attr("valueName"), Some(name), "{what}");
                    }
                    KeyKind::List => {
                        // Chromium's 3rdparty convention: a sub-key named after the key, with
                        // the values "1", "2", … (an empty prefix numbers them from 1).
                        let l = element("list");
                        assert_eq!(
                            l.attr("key"),
                            Some(format!(r"{key}\{name}").as_str()),
                            "{what}"
                        );
                        assert_eq!(l.attr("valuePrefix"), Some(""), "{what}");
                        assert_eq!(l.attr("valueName"), None, "{what}");
                    }
                    KeyKind::Enum(values) => {
                        let e = element("enum");
                        assert_eq!(e.attr("valueName"), Some(name), "{what}");
                        let items: Vec<&str> = e
                            .all("item")
                            .map(|i| {
                                i.child("value")
                                    .unwrap()
                                    .child("string")
                                    .unwrap()
                                    .text
                                    .as_str()
                            })
                            .collect();
                        assert_eq!(items, values, "{what}");
                    }
                    other => panic!("{what}: a kind the test does not know: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn the_templates_match_the_keys_the_engine_accepts() {
    // A value typed into each template input, read back through the validator as Chromium
    // would hand it over, is accepted: the template's types are the engine's.
    use canhgiac::policy::{KeyKind, Policy, KEY_SPECS};
    let mut policy = serde_json::Map::new();
    for spec in KEY_SPECS {
        let v = match spec.kind {
            KeyKind::Bool => serde_json::json!(false),
            KeyKind::Integer { min, max, default } => {
                assert!(min <= default && default <= max, "{}", spec.name);
                serde_json::json!(max)
            }
            KeyKind::Text => serde_json::json!("https://bao-cao.example.gov.vn/api"),
            KeyKind::List if spec.name == "disabledChecks" => serde_json::json!(["sideload"]),
            KeyKind::List if spec.name == "blockedUrls" => {
                serde_json::json!(["https://zalo.me/3142857142857"])
            }
            KeyKind::List => serde_json::json!(["vi-du.vn"]),
            KeyKind::Enum(values) => serde_json::json!(values[values.len() - 1]),
            KeyKind::Json if spec.name == "reportContact" => {
                serde_json::json!({"name": "Phòng CNTT"})
            }
            KeyKind::Json if spec.name == "policeContact" => {
                serde_json::json!({"name": "Công an tỉnh", "phone": "0694.387.389"})
            }
            KeyKind::Json => serde_json::json!([{"url": "https://a.vn/l", "format": "hosts"}]),
            other => panic!("{}: unknown kind {other:?}", spec.name),
        };
        policy.insert(spec.name.to_string(), v);
    }
    let (p, problems) = Policy::from_value(&serde_json::Value::Object(policy));
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(p.set_keys.len(), KEY_SPECS.len());
}

#[test]
fn firefox_install_url_comes_from_the_admin_or_is_a_named_placeholder() {
    let given = render(policy(), &opts(None)).unwrap();
    let ff: Value = serde_json::from_slice(&file(&given, "firefox/policies.json").bytes).unwrap();
    assert_eq!(
        ff["policies"]["ExtensionSettings"]["canhgiac@example.vn"]["install_url"],
        "https://updates.example.vn/canhgiac.xpi"
    );
    let readme = String::from_utf8(file(&given, "firefox/README.txt").bytes.clone()).unwrap();
    assert!(readme.contains("https://updates.example.vn/canhgiac.xpi"));
    assert!(readme.contains("/etc/firefox/policies/policies.json"));
    assert!(readme.contains("/etc/firefox-esr/policies/ is NOT read"));
    assert!(readme.contains("web-ext sign --channel unlisted"));
    assert!(!readme.contains("NOT READY"));

    let mut absent = opts(None);
    absent.firefox_install_url = None;
    let files = render(policy(), &absent).unwrap();
    let ff: Value = serde_json::from_slice(&file(&files, "firefox/policies.json").bytes).unwrap();
    assert_eq!(
        ff["policies"]["ExtensionSettings"]["canhgiac@example.vn"]["install_url"],
        canhgiac::adminkit::FIREFOX_URL_PLACEHOLDER
    );
    let readme = String::from_utf8(file(&files, "firefox/README.txt").bytes.clone()).unwrap();
    assert!(readme.contains("NOT READY") && readme.contains("--firefox-install-url"));

    for bad in [
        "http://updates.example.vn/canhgiac.xpi",
        "updates.example.vn/canhgiac.xpi",
    ] {
        let mut o = opts(None);
        o.firefox_install_url = Some(bad.into());
        let err = render(policy(), &o).unwrap_err();
        assert!(err.contains("--firefox-install-url"), "{bad}: {err}");
    }
}

/// The policy keys that carry an organisation's own values.
const ORGANISATION_KEYS: &[&str] = &[
    "reportEndpoint",
    "reportContact",
    "blocklistFeeds",
    "protectedDomains",
    "blockedDomains",
    "blockedUrls",
    "allowedStores",
    "allowedDownloadHosts",
];

/// Every file's text, UTF-16 .reg files decoded.
fn texts(files: &[KitFile]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|f| {
            let text = if f.bytes.starts_with(&[0xff, 0xfe]) {
                let units: Vec<u16> = f.bytes[2..]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).unwrap()
            } else {
                String::from_utf8(f.bytes.clone()).unwrap()
            };
            (f.path.clone(), text)
        })
        .collect()
}

#[test]
fn the_template_kit_carries_no_organisation_values_and_says_how_to_make_the_real_one() {
    let template = KitOptions {
        source: Source::SelfHosted(canhgiac::adminkit::TEMPLATE_UPDATE_URL.into()),
        ..opts(None)
    };
    let files = render_template(&template).unwrap();
    let example: Value = serde_json::from_str(policy()).unwrap();
    // Every value of the example policy that names the organisation, as it would be written.
    let mut values = vec![];
    for key in ORGANISATION_KEYS {
        match &example[key] {
            Value::String(s) => values.push(s.clone()),
            Value::Array(items) => values.extend(items.iter().map(|i| match i {
                Value::String(s) => s.clone(),
                other => other["url"].as_str().unwrap().to_string(),
            })),
            Value::Object(o) => values.extend(o.values().map(|v| v.as_str().unwrap().to_string())),
            _ => {}
        }
    }
    assert!(
        values.len() >= 5,
        "the example names the organisation: {values:?}"
    );
    for (path, text) in texts(&files) {
        // The ADML holds only help text, whose examples (a contact, a Zalo address) are the
        // same in every kit; no policy value is ever written there.
        if path.ends_with(".adml") {
            assert!(text.contains("TEMPLATE"), "{path}");
            continue;
        }
        for v in &values {
            assert!(!text.contains(v.as_str()), "{path} carries {v}");
        }
        if path.starts_with("firefox/") || path.ends_with(".json") {
            continue; // JSON has no comments; README.txt speaks for the Linux files
        }
        assert!(
            text.contains("TEMPLATE"),
            "{path} does not say it is a template"
        );
        assert!(
            text.contains("admin-kit"),
            "{path} does not say how to make the real kit"
        );
    }
    for path in [
        "linux/chrome-canhgiac.json",
        "linux/chromium-canhgiac.json",
        "linux/edge-canhgiac.json",
    ] {
        let doc: Value = serde_json::from_slice(&file(&files, path).bytes).unwrap();
        assert_eq!(
            doc["3rdparty"]["extensions"][ID],
            serde_json::json!({}),
            "{path}"
        );
        assert_eq!(
            doc["ExtensionInstallForcelist"][0],
            format!("{ID};{}", canhgiac::adminkit::TEMPLATE_UPDATE_URL),
            "an address that never resolves: {path}"
        );
    }
    let readme = texts(&files)
        .into_iter()
        .find(|(p, _)| p == "README.txt")
        .unwrap()
        .1;
    assert!(readme.contains("--policy my-policy.json"), "{readme}");
}

#[test]
fn each_store_gets_its_own_id_and_edge_add_ons_serves_only_edge() {
    const EDGE_ID: &str = "ponmlkjihgfedcbaponmlkjihgfedcba";
    let edge = KitOptions {
        extension_id: EDGE_ID.into(),
        source: Source::EdgeAddons,
        ..opts(None)
    };
    let files = render(policy(), &edge).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for absent in [
        "windows/chrome-canhgiac.reg",
        "windows/coccoc-canhgiac.reg",
        "linux/chrome-canhgiac.json",
        "linux/chromium-canhgiac.json",
        "macos/canhgiac-chrome.mobileconfig",
    ] {
        assert!(
            !paths.contains(&absent),
            "{absent} cannot install from Edge Add-ons"
        );
    }
    let doc: Value =
        serde_json::from_slice(&file(&files, "linux/edge-canhgiac.json").bytes).unwrap();
    assert_eq!(
        doc["ExtensionInstallForcelist"][0],
        format!("{EDGE_ID};{}", canhgiac::adminkit::EDGE_UPDATE_URL)
    );
    let admx = text_file(&files, "windows/admx/canhgiac.admx");
    assert!(admx.contains(&format!(
        r"Microsoft\Edge\3rdparty\extensions\{EDGE_ID}\policy"
    )));
    assert!(
        !admx.contains(r"Google\Chrome"),
        "no Chrome policies in an Edge-only kit"
    );
    assert!(!admx.contains(ID));

    // The Chrome Web Store's listing serves every Chromium browser, Edge included.
    let files = render(policy(), &opts(None)).unwrap();
    for (path, text) in texts(&files) {
        if path.starts_with("firefox/") || path == "README.txt" {
            continue;
        }
        assert!(text.contains(ID), "{path}");
        assert!(
            !text.contains(canhgiac::adminkit::EDGE_UPDATE_URL),
            "{path}"
        );
    }
    assert!(text_file(&files, "README.txt").contains("Chrome Web Store"));
}

#[test]
fn the_intune_templates_leave_out_edge_and_hold_english_strings_only() {
    // Intune's ADMX import refuses a template writing under Software\Policies\Microsoft.
    let files = render(policy(), &opts(None)).unwrap();
    let admx = text_file(&files, "windows/intune/canhgiac.admx");
    let doc = xml::parse(&admx).unwrap_or_else(|e| panic!("Intune ADMX: {e}"));
    let keys: Vec<&str> = doc
        .descendants()
        .into_iter()
        .filter_map(|e| e.attr("key"))
        .collect();
    assert!(!keys.is_empty());
    assert!(
        keys.iter()
            .all(|k| !k.starts_with(r"Software\Policies\Microsoft")),
        "{keys:?}"
    );
    assert!(keys
        .iter()
        .any(|k| k.starts_with(r"Software\Policies\Google\Chrome")));
    assert!(keys
        .iter()
        .any(|k| k.starts_with(r"Software\Policies\CocCoc\Browser")));
    xml::parse(&text_file(&files, "windows/intune/en-US/canhgiac.adml")).unwrap();
    assert!(!files
        .iter()
        .any(|f| f.path.starts_with("windows/intune/vi-VN")));
    // An Edge-only kit has nothing for Intune's import.
    let edge = KitOptions {
        source: Source::EdgeAddons,
        ..opts(None)
    };
    let files = render(policy(), &edge).unwrap();
    assert!(!files.iter().any(|f| f.path.starts_with("windows/intune/")));
}
