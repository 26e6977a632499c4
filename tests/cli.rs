//! The `canhgiac` command line: names, output shapes and exit codes that admins' scripts rely on.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("canhgiac-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn check_json_keeps_input_order_and_judges_bad_lines() {
    let input = "https://play.google.com/store/apps/details?id=x\nhttp://[::1\n\nhttps://tai-app.top/a.apk\n";
    let o = run(&["check", "--json"], input);
    assert!(o.status.success());
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(&str, &str)> = lines
        .iter()
        .map(|v| (v["url"].as_str().unwrap(), v["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "https://play.google.com/store/apps/details?id=x",
                "official"
            ),
            ("http://[::1", "warn"),
            ("", "warn"),
            ("https://tai-app.top/a.apk", "warn"),
        ]
    );
    for key in [
        "url",
        "verdict",
        "category",
        "reasons",
        "host",
        "registrableDomain",
    ] {
        assert!(lines[3].get(key).is_some(), "{key} in {}", lines[3]);
    }
    assert_eq!(lines[1]["category"], "invalid");
    assert_eq!(lines[3]["reasons"][0]["code"], "app_package_in_path");
}

#[test]
fn check_arguments_and_language() {
    let o = run(&["check", "--lang", "en", "https://bit.ly/x"], "");
    let out = stdout(&o);
    assert!(
        out.starts_with("info\tshortener\tbit.ly\thttps://bit.ly/x\t"),
        "{out}"
    );
    assert!(out.contains("shortened link"), "{out}");
    let o = run(&["check", "--lang", "fr", "x"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--lang must be vi or en"));
}

#[test]
fn check_download_combines_name_and_mime() {
    let o = run(
        &[
            "check-download",
            "--url",
            "https://f.example.net/get?id=1",
            "--filename",
            "HoaDon.pdf.exe",
            "--json",
        ],
        "",
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["verdict"], "warn");
    assert_eq!(v["reasons"][0]["code"], "double_extension");
    let o = run(&["check-download", "--filename", "a.apk"], "");
    assert_eq!(o.status.code(), Some(2), "--url is required");
}

#[test]
fn domain_prints_null_where_there_is_none() {
    let o = run(
        &[
            "domain",
            "WWW.DichVuCong.GOV.VN",
            "gov.vn",
            "evil.web.app",
            "127.0.0.1",
        ],
        "",
    );
    assert_eq!(stdout(&o), "dichvucong.gov.vn\nnull\nevil.web.app\nnull\n");
    assert!(o.status.success());
    // The answer comes in the form given: Unicode in, Unicode out; ASCII in, ASCII out. A label
    // a browser would show as punycode (Cyrillic letters posing as Latin) stays punycode.
    let o = run(
        &["domain"],
        "bộcôngan.vn\nxn--bcngan-jxa6332d.vn\nwww.ѕһорее.com\nexa mple.com\n",
    );
    assert_eq!(
        stdout(&o),
        "bộcôngan.vn\nxn--bcngan-jxa6332d.vn\nxn--e1aazi7hs1a.com\nnull\n"
    );
    assert_eq!(o.status.code(), Some(1), "a malformed host is reported");
    assert!(String::from_utf8_lossy(&o.stderr).contains("exa mple.com"));
}

#[test]
fn policy_file_errors_stop_the_command_with_the_key_named() {
    let bad = temp_file(
        "bad.json",
        r#"{"blockedDomains": "lua-dao.top", "bypassMinutes": 99999}"#,
    );
    let o = run(
        &[
            "check",
            "--policy",
            bad.to_str().unwrap(),
            "https://lua-dao.top/",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("blockedDomains: expected a list of strings, got a string"),
        "{err}"
    );
    assert!(
        err.contains("bypassMinutes: 99999 is out of range"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "never half-read silently");

    let broken = temp_file("broken.json", "{\"blockedDomains\": [");
    let o = run(
        &[
            "check",
            "--policy",
            broken.to_str().unwrap(),
            "https://x.vn/",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid JSON"));

    let good = temp_file(
        "good.json",
        r#"{"blockedDomains": ["lua-dao.top"], "futureKey": 1}"#,
    );
    let o = run(
        &[
            "check",
            "--policy",
            good.to_str().unwrap(),
            "https://a.lua-dao.top/",
        ],
        "",
    );
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("block\tlisted\t"));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("\"futureKey\" is not a Cảnh Giác policy key")
    );

    let o = run(&["check", "--policy", "/nonexistent/p.json", "x"], "");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn policy_check_lists_every_problem() {
    let bad = temp_file(
        "check.json",
        r#"{"reportEndpoint": "http://r.vn/", "allowBypass": 1, "x": true}"#,
    );
    let o = run(&["policy", "check", bad.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.contains("error: reportEndpoint:") && out.contains("warning: x:"),
        "{out}"
    );
    let ok = temp_file("ok.json", r#"{"allowBypass": false}"#);
    let o = run(&["policy", "check", ok.to_str().unwrap()], "");
    assert!(o.status.success());
    assert!(stdout(&o).ends_with(": ok\n"));
}

#[test]
fn unknown_commands_and_options_are_usage_errors() {
    assert_eq!(run(&["frobnicate"], "").status.code(), Some(2));
    assert_eq!(run(&["check", "--jsn"], "").status.code(), Some(2));
    assert_eq!(run(&[], "").status.code(), Some(2));
    assert!(stdout(&run(&["--version"], "")).starts_with("canhgiac "));
}

#[test]
#[cfg(unix)]
fn an_argument_that_is_not_utf8_is_refused_by_name_with_status_2() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"https://tai-app.top/\xff.apk");
    let o = Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .arg("check")
        .arg(bad)
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn check_uses_the_built_in_lists_unless_told_not_to() {
    let listed = "https://247vi-bank.com/dang-nhap";
    let o = run(&["check", "--json", listed], "");
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["verdict"], "warn", "{v}");
    assert_eq!(v["reasons"][0]["code"], "community_listed");
    assert_eq!(v["reasons"][0]["detail"], "hostsVN");
    // The shipped IP list too.
    let o = run(&["check", "--json", "http://185.236.20.189/"], "");
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["reasons"][0]["code"], "community_listed", "{v}");

    let o = run(&["check", "--json", "--no-default-lists", listed], "");
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["verdict"], "allow", "{v}");
    // A policy can turn them off too, and exempt a domain.
    let off = temp_file("lists-off.json", r#"{"builtInLists": false}"#);
    let o = run(&["check", "--policy", off.to_str().unwrap(), listed], "");
    assert!(stdout(&o).starts_with("allow\t"), "{}", stdout(&o));
    let exempt = temp_file(
        "lists-exempt.json",
        r#"{"exemptDomains": ["247vi-bank.com"]}"#,
    );
    let o = run(&["check", "--policy", exempt.to_str().unwrap(), listed], "");
    assert!(stdout(&o).starts_with("allow\t"), "{}", stdout(&o));
    // An IP address in blockedDomains no longer makes the whole policy file unusable.
    let ip = temp_file("lists-ip.json", r#"{"blockedDomains": ["185.236.20.189"]}"#);
    let o = run(
        &[
            "check",
            "--policy",
            ip.to_str().unwrap(),
            "http://3119256765/",
        ],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).starts_with("block\tlisted\t"), "{}", stdout(&o));
}

#[test]
fn lists_names_each_built_in_list_with_source_licence_entries_and_date() {
    let o = run(&["lists"], "");
    assert!(o.status.success());
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "id\tname\tentries\tdate\tlicence\tsource\tupstream"
    );
    assert!(lines[1].starts_with("hostsVN-threat\thostsVN\t4444\t2026-06-24\tMIT\thttps://github.com/bigdargon/hostsVN\t"), "{out}");
    assert!(lines[2].starts_with("hostsVN-ip\thostsVN\t99\t"), "{out}");
    let o = run(&["lists", "--json"], "");
    let first: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(first["licence"], "MIT");
    assert_eq!(first["entries"], 4444);
    assert!(!run(&["lists", "extra"], "").status.success());
}

#[test]
fn admin_kit_without_a_policy_writes_a_template_and_with_one_needs_a_store() {
    let dir = std::env::temp_dir().join(format!("canhgiac-cli-kit-{}", std::process::id()));
    let out = dir.join("template");
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/manifest.json");
    let o = run(
        &[
            "admin-kit",
            "--out",
            out.to_str().unwrap(),
            "--manifest",
            manifest,
        ],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("TEMPLATE"), "{}", stdout(&o));
    let readme = std::fs::read_to_string(out.join("README.txt")).unwrap();
    assert!(readme.starts_with("Cảnh Giác admin kit\n===================\nTHIS IS A TEMPLATE"));

    // A real kit must name where browsers install from: a store's own ID or a self-hosted URL.
    let policy = concat!(env!("CARGO_MANIFEST_DIR"), "/admin/example-policy.json");
    let real = dir.join("real");
    let real = real.to_str().unwrap();
    let o = run(
        &[
            "admin-kit",
            "--policy",
            policy,
            "--out",
            real,
            "--manifest",
            manifest,
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--store chrome|edge|self"));
    let o = run(
        &[
            "admin-kit",
            "--policy",
            policy,
            "--out",
            real,
            "--manifest",
            manifest,
            "--store",
            "chrome",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--store chrome needs --extension-id"));
    let o = run(
        &[
            "admin-kit",
            "--policy",
            policy,
            "--out",
            real,
            "--manifest",
            manifest,
            "--store",
            "opera",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    let store_id = "ponmlkjihgfedcbaponmlkjihgfedcba";
    let o = run(
        &[
            "admin-kit",
            "--policy",
            policy,
            "--out",
            real,
            "--manifest",
            manifest,
            "--store",
            "chrome",
            "--extension-id",
            store_id,
        ],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let linux: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("real/linux/chrome-canhgiac.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        linux["3rdparty"]["extensions"][store_id]["reportEndpoint"],
        "https://bao-cao.example.gov.vn/canhgiac/reports"
    );
    assert_eq!(
        linux["ExtensionInstallForcelist"][0],
        format!("{store_id};https://clients2.google.com/service/update2/crx")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
