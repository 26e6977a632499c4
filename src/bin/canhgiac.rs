//! `canhgiac`: the engine on the command line, for admins' scripts and tests.

use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

use canhgiac::{Download, Engine, Lang, Policy, Severity, Verdict};
use serde_json::json;

const USAGE: &str = "\
canhgiac — Cảnh Giác's link and download checks, on the command line

USAGE:
  canhgiac check [--policy FILE] [--json] [--lang vi|en] [--no-default-lists] [URL ...]
      Judge each URL (one per line from standard input when none is given), with the built-in
      community lists unless --no-default-lists is given (or the policy turns them off).
  canhgiac check-download --url URL [--final-url URL] [--filename NAME] [--mime TYPE]
                          [--referrer URL] [--content-disposition VALUE]
                          [--policy FILE] [--json] [--lang vi|en] [--no-default-lists]
      Judge one download.
  canhgiac lists [--json]
      List the built-in community lists: source, licence, entries and the snapshot's date.
  canhgiac domain [HOST ...]
      Print each host's registrable domain, or null (standard input when no host is given).
  canhgiac policy check [--lang en|vi] FILE
      Validate an admin policy file; print every problem (English unless --lang vi); exit 1 if
      any is an error.
  canhgiac admin-kit --policy FILE --out DIR --store chrome|edge|self [--extension-id ID]
                     [--update-url URL] [--manifest MANIFEST.json] [--gecko-id ID]
                     [--firefox-install-url URL]
      Write deployment files for Windows, Linux, macOS and Firefox from a policy file.
      --store chrome: the Chrome Web Store listing's ID (Chrome, Chromium, Cốc Cốc, Edge);
      --store edge: the Edge Add-ons listing's ID (Edge only); --store self: your own CRX at
      --update-url (its key's ID: --extension-id, or --manifest with that key). Without
      --policy: a template kit with no organisation values, marked as such in every file.
  canhgiac dnr-rules --warning-page URL
      Print the static declarativeNetRequest ruleset for app-package paths (build time).
  canhgiac schema
      Print the extension's managed-storage schema (extension/managed_schema.json), made from
      the policy's key table.
  canhgiac --version | --help

Exit status: 0 done; 1 a policy check found errors or a host was malformed; 2 bad usage or an
unreadable or invalid policy file.";

/// A usage or input error that ends the command with status 2.
struct Fatal(String);

fn main() -> ExitCode {
    // Arguments arrive as the OS gives them; one that is not UTF-8 is refused by name, not a panic.
    let args: Result<Vec<String>, Fatal> = std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| Fatal(format!("argument {a:?} is not valid UTF-8")))
        })
        .collect();
    match args.and_then(|args| run(&args)) {
        Ok(code) => code,
        Err(Fatal(msg)) => {
            eprintln!("canhgiac: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, Fatal> {
    let Some(cmd) = args.first() else {
        return Err(Fatal(format!("no command given\n\n{USAGE}")));
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "check" => cmd_check(rest),
        "check-download" => cmd_check_download(rest),
        "lists" => cmd_lists(rest),
        "domain" => cmd_domain(rest),
        "admin-kit" => cmd_admin_kit(rest),
        "dnr-rules" => {
            let Parsed { values, .. } = parse_args(rest, &["--warning-page"])?;
            let page = values
                .last()
                .map(|(_, v)| v.clone())
                .ok_or_else(|| Fatal("dnr-rules needs --warning-page URL".into()))?;
            let rules = canhgiac::dnr::sideload_ruleset(&page).map_err(Fatal)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&rules).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
        "schema" => {
            if let Some(extra) = rest.first() {
                return Err(Fatal(format!("schema takes no arguments, got {extra:?}")));
            }
            print!("{}", canhgiac::admin::schema::managed_schema());
            Ok(ExitCode::SUCCESS)
        }
        "policy" => match rest.first().map(String::as_str) {
            Some("check") => cmd_policy_check(&rest[1..]),
            _ => Err(Fatal(
                "usage: canhgiac policy check [--lang en|vi] FILE".into(),
            )),
        },
        "--help" | "-h" | "help" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        "--version" | "-V" => {
            println!(
                "canhgiac {} (Public Suffix List {})",
                env!("CARGO_PKG_VERSION"),
                canhgiac::psl::LIST_VERSION
            );
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Fatal(format!(
            "unknown command {other:?}; see canhgiac --help"
        ))),
    }
}

/// Options shared by the checking commands.
#[derive(Default)]
struct Common {
    policy: Option<String>,
    no_default_lists: bool,
    json: bool,
    lang: Lang,
}

/// Arguments split into the common options, named values (`--url X`) and positional arguments.
struct Parsed {
    common: Common,
    values: Vec<(String, String)>,
    positional: Vec<String>,
}

/// Splits `args`; `named` lists the options that take a value besides the common ones.
fn parse_args(args: &[String], named: &[&str]) -> Result<Parsed, Fatal> {
    let mut common = Common::default();
    let mut values = Vec::new();
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Fatal(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--json" => common.json = true,
            "--no-default-lists" => common.no_default_lists = true,
            "--policy" => common.policy = Some(value("--policy")?),
            "--lang" => {
                let v = value("--lang")?;
                common.lang = Lang::parse(&v)
                    .ok_or_else(|| Fatal(format!("--lang must be vi or en, not {v:?}")))?;
            }
            "--" => positional.extend(it.by_ref().cloned()),
            s if named.contains(&s) => {
                let v = value(s)?;
                values.push((s.to_string(), v));
            }
            s if s.starts_with("--") => {
                return Err(Fatal(format!("unknown option {s:?}; see canhgiac --help")))
            }
            s => positional.push(s.to_string()),
        }
    }
    Ok(Parsed {
        common,
        values,
        positional,
    })
}

/// The built-in lists' snapshots, embedded in this binary (the wasm engine never carries them).
const BUILTIN_TEXT: &[(&str, &str)] = &[
    (
        "hostsVN-threat",
        include_str!("../../data/lists/hostsVN-threat-VN.txt"),
    ),
    (
        "hostsVN-ip",
        include_str!("../../data/lists/hostsVN-ip-threat.txt"),
    ),
];

/// The built-in lists, parsed, with their stats: `(list, set, stats)`.
fn builtin_sets() -> Result<
    Vec<(
        &'static canhgiac::lists::BuiltinList,
        canhgiac::feeds::FeedSet,
        canhgiac::feeds::FeedStats,
    )>,
    Fatal,
> {
    canhgiac::lists::BUILTIN_LISTS
        .iter()
        .map(|list| {
            let text = BUILTIN_TEXT
                .iter()
                .find(|(id, _)| *id == list.id)
                .map(|(_, t)| *t)
                .ok_or_else(|| Fatal(format!("built-in list {} is missing", list.id)))?;
            let (set, stats) =
                canhgiac::feeds::FeedSet::parse(text, canhgiac::policy::FeedFormat::Domains, None)
                    .map_err(|e| Fatal(format!("built-in list {}: {e}", list.id)))?;
            Ok((list, set, stats))
        })
        .collect()
}

/// The engine for a checking command: the policy, and the built-in lists unless switched off.
fn engine_for(common: &Common) -> Result<Engine, Fatal> {
    let mut engine = Engine::with_policy(load_policy(common.policy.as_deref())?);
    if !common.no_default_lists {
        let sets = builtin_sets()?
            .into_iter()
            .map(|(list, set, _)| (list.name.to_string(), set))
            .collect();
        engine.set_builtin_lists(sets);
    }
    Ok(engine)
}

fn cmd_lists(args: &[String]) -> Result<ExitCode, Fatal> {
    let Parsed {
        common, positional, ..
    } = parse_args(args, &[])?;
    if let Some(extra) = positional.first() {
        return Err(Fatal(format!("lists takes no argument, got {extra:?}")));
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let io_err = |e: io::Error| Fatal(format!("I/O error: {e}"));
    if !common.json {
        writeln!(out, "id\tname\tentries\tdate\tlicence\tsource\tupstream").map_err(io_err)?;
    }
    for (list, _, stats) in builtin_sets()? {
        if common.json {
            let mut obj = serde_json::to_value(list).unwrap_or_default();
            if let Some(map) = obj.as_object_mut() {
                map.insert("entries".into(), json!(stats.entries));
                map.insert("badLines".into(), json!(stats.bad_lines));
            }
            writeln!(out, "{obj}").map_err(io_err)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                list.id,
                list.name,
                stats.entries,
                list.snapshot_date,
                list.licence,
                list.source,
                list.upstream
            )
            .map_err(io_err)?;
        }
    }
    out.flush().map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}

fn load_policy(path: Option<&str>) -> Result<Policy, Fatal> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal(format!("cannot read policy file {path}: {e}")))?;
    let (policy, problems) = Policy::from_json(&text);
    let mut errors = Vec::new();
    for p in &problems {
        match p.severity {
            Severity::Error => errors.push(format!("  {}: {}", p.key, p.message)),
            Severity::Warning => {
                eprintln!("canhgiac: warning: policy {path}: {}: {}", p.key, p.message)
            }
        }
    }
    if !errors.is_empty() {
        // A half-read policy would silently protect less than the admin meant: refuse it.
        return Err(Fatal(format!(
            "policy file {path} has {} error(s):\n{}",
            errors.len(),
            errors.join("\n")
        )));
    }
    Ok(policy)
}

fn print_verdict(
    out: &mut impl Write,
    input: &str,
    v: &Verdict,
    common: &Common,
) -> io::Result<()> {
    if common.json {
        let mut obj = serde_json::to_value(v.view(common.lang)).unwrap_or_default();
        if let Some(map) = obj.as_object_mut() {
            map.insert("url".into(), json!(input));
        }
        writeln!(out, "{obj}")
    } else {
        let why: Vec<String> = v.reasons.iter().map(|r| r.message(common.lang)).collect();
        let domain = v
            .registrable_domain
            .as_deref()
            .or(v.host.as_deref())
            .unwrap_or("-");
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            v.level.as_str(),
            v.category.as_str(),
            domain,
            input,
            why.join(" | ")
        )
    }
}

/// Calls `each` for every positional argument, or every line of standard input when there is none.
fn for_each_input(
    positional: &[String],
    mut each: impl FnMut(&str) -> io::Result<()>,
) -> Result<(), Fatal> {
    let io_err = |e: io::Error| Fatal(format!("I/O error: {e}"));
    if !positional.is_empty() {
        for p in positional {
            each(p).map_err(io_err)?;
        }
        return Ok(());
    }
    let stdin = io::stdin();
    let mut lock = stdin.lock();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if lock.read_until(b'\n', &mut buf).map_err(io_err)? == 0 {
            return Ok(());
        }
        // A line that is not UTF-8 is still judged (and found invalid), never dropped.
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches(['\n', '\r']);
        each(line).map_err(io_err)?;
    }
}

fn cmd_check(args: &[String]) -> Result<ExitCode, Fatal> {
    let Parsed {
        common, positional, ..
    } = parse_args(args, &[])?;
    let engine = engine_for(&common)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for_each_input(&positional, |url| {
        let v = engine.check_url(url);
        print_verdict(&mut out, url, &v, &common)
    })?;
    out.flush().map_err(|e| Fatal(format!("I/O error: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_check_download(args: &[String]) -> Result<ExitCode, Fatal> {
    let named = [
        "--url",
        "--final-url",
        "--filename",
        "--mime",
        "--referrer",
        "--content-disposition",
    ];
    let Parsed {
        common,
        values,
        positional,
    } = parse_args(args, &named)?;
    if let Some(p) = positional.first() {
        return Err(Fatal(format!(
            "unexpected argument {p:?}; pass the URL with --url"
        )));
    }
    let mut d = Download::default();
    for (k, v) in values {
        match k.as_str() {
            "--url" => d.url = v,
            "--final-url" => d.final_url = Some(v),
            "--filename" => d.filename = Some(v),
            "--mime" => d.mime = Some(v),
            "--referrer" => d.referrer = Some(v),
            _ => d.content_disposition = Some(v),
        }
    }
    if d.url.is_empty() {
        return Err(Fatal("check-download needs --url URL".into()));
    }
    let engine = engine_for(&common)?;
    let v = engine.check_download(&d);
    let mut out = io::stdout().lock();
    print_verdict(&mut out, &d.url, &v, &common).map_err(|e| Fatal(format!("I/O error: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_domain(args: &[String]) -> Result<ExitCode, Fatal> {
    let Parsed { positional, .. } = parse_args(args, &[])?;
    let engine = Engine::new();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut malformed = false;
    for_each_input(&positional, |host| match engine.registrable_domain(host) {
        Ok(Some(d)) => writeln!(out, "{d}"),
        Ok(None) => writeln!(out, "null"),
        Err(e) => {
            malformed = true;
            eprintln!("canhgiac: {host:?} is not a valid host: {e}");
            writeln!(out, "null")
        }
    })?;
    out.flush().map_err(|e| Fatal(format!("I/O error: {e}")))?;
    Ok(if malformed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_policy_check(args: &[String]) -> Result<ExitCode, Fatal> {
    // English by default here (unlike `check`): admins' scripts already read this output.
    let (lang, path) = match args {
        [path] => (Lang::En, path),
        [flag, lang, path] | [path, flag, lang] if flag == "--lang" => (
            Lang::parse(lang)
                .ok_or_else(|| Fatal(format!("--lang must be vi or en, not {lang:?}")))?,
            path,
        ),
        _ => {
            return Err(Fatal(
                "usage: canhgiac policy check [--lang en|vi] FILE".into(),
            ))
        }
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal(format!("cannot read policy file {path}: {e}")))?;
    let (_, problems) = Policy::from_json(&text);
    let mut errors = 0;
    for p in &problems {
        let sev = match p.severity {
            Severity::Error => {
                errors += 1;
                "error"
            }
            Severity::Warning => "warning",
        };
        println!("{path}: {sev}: {}: {}", p.key, p.message_in(lang));
    }
    if problems.is_empty() {
        println!("{path}: ok");
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_admin_kit(args: &[String]) -> Result<ExitCode, Fatal> {
    let named = [
        "--out",
        "--store",
        "--manifest",
        "--extension-id",
        "--gecko-id",
        "--update-url",
        "--firefox-install-url",
    ];
    let Parsed {
        common,
        values,
        positional,
    } = parse_args(args, &named)?;
    if let Some(p) = positional.first() {
        return Err(Fatal(format!("unexpected argument {p:?}")));
    }
    let get = |k: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let out = get("--out").ok_or_else(|| Fatal("admin-kit needs --out DIR".into()))?;
    let manifest: Option<serde_json::Value> = match get("--manifest") {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Fatal(format!("cannot read {path}: {e}")))?;
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| Fatal(format!("{path} is not JSON: {e}")))?,
            )
        }
        None => None,
    };
    let manifest_id = || -> Result<Option<String>, Fatal> {
        let Some(m) = &manifest else { return Ok(None) };
        let key = m["key"]
            .as_str()
            .ok_or_else(|| Fatal("the manifest has no \"key\"".into()))?;
        canhgiac::adminkit::extension_id(key)
            .map(Some)
            .map_err(Fatal)
    };
    let template = common.policy.is_none();
    let update_url = get("--update-url");
    // A real kit must say where browsers install from: each store gives its own ID, and a kit
    // naming the wrong one installs nothing. The template defaults to an address that never
    // resolves.
    let store = match (get("--store"), &update_url, template) {
        (Some(s), _, _) => s,
        (None, Some(_), _) => "self".into(),
        (None, None, true) => "self".into(),
        (None, None, false) => {
            return Err(Fatal(
                "admin-kit needs --store chrome|edge|self: the Chrome Web Store and Edge Add-ons each give the extension their own ID, and a self-hosted copy has your key's ID".into(),
            ))
        }
    };
    let (source, extension_id) = match store.as_str() {
        "chrome" | "edge" => {
            if update_url.is_some() {
                return Err(Fatal(format!(
                    "--update-url is for --store self; --store {store} installs from the store"
                )));
            }
            let id = get("--extension-id").ok_or_else(|| {
                Fatal(format!(
                    "--store {store} needs --extension-id: the ID the store gave the listing (the last part of its address), not the ID of the unpacked build"
                ))
            })?;
            let source = if store == "chrome" {
                canhgiac::adminkit::Source::ChromeWebStore
            } else {
                canhgiac::adminkit::Source::EdgeAddons
            };
            (source, id)
        }
        "self" => {
            let url = match (update_url, template) {
                (Some(u), _) => u,
                (None, true) => canhgiac::adminkit::TEMPLATE_UPDATE_URL.into(),
                (None, false) => {
                    return Err(Fatal(
                        "--store self needs --update-url https://…/updates.xml (where you serve the CRX)".into(),
                    ))
                }
            };
            let id = match get("--extension-id") {
                Some(id) => id,
                None => manifest_id()?.ok_or_else(|| {
                    Fatal("--store self needs --extension-id (the ID scripts/pack-crx.py prints for your key) or --manifest".into())
                })?,
            };
            (canhgiac::adminkit::Source::SelfHosted(url), id)
        }
        other => {
            return Err(Fatal(format!(
                "--store must be chrome, edge or self, not {other:?}"
            )))
        }
    };
    let gecko_id = get("--gecko-id")
        .or_else(|| manifest.as_ref()?["browser_specific_settings"]["gecko"]["id"].as_str().map(str::to_string))
        .ok_or_else(|| Fatal("admin-kit needs --gecko-id (or a manifest with browser_specific_settings.gecko.id)".into()))?;
    let opts = canhgiac::adminkit::KitOptions {
        extension_id,
        gecko_id,
        source,
        firefox_install_url: get("--firefox-install-url"),
    };
    let files = match &common.policy {
        Some(policy_path) => {
            let text = std::fs::read_to_string(policy_path)
                .map_err(|e| Fatal(format!("cannot read policy file {policy_path}: {e}")))?;
            canhgiac::adminkit::render(&text, &opts)
                .map_err(|e| Fatal(format!("{policy_path}: {e}")))?
        }
        None => canhgiac::adminkit::render_template(&opts).map_err(Fatal)?,
    };
    for f in &files {
        let path = std::path::Path::new(&out).join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Fatal(format!("cannot create {}: {e}", dir.display())))?;
        }
        std::fs::write(&path, &f.bytes)
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    }
    println!(
        "wrote {} files to {out} for extension {}{}",
        files.len(),
        opts.extension_id,
        if template {
            " (a TEMPLATE without organisation values; make the real kit with --policy)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}
