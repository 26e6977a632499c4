//! Block lists: one parser for every format (plain domains, hosts files, `||host^`, URL prefixes
//! without a scheme, bare IPs), each unusable line counted by kind; the built-in community lists'
//! verdict (a warning the user may pass) beside the organisation's own lists (a block); the keys
//! that exempt a domain and turn the built-in lists off; IP addresses in every policy list.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::feeds::{BadLine, Entry, FeedError, FeedSet, MIN_KEPT_PERCENT};
use canhgiac::policy::FeedFormat;
use canhgiac::{Category, Engine, Level, Policy, ReasonCode};

fn parse(body: &str) -> (FeedSet, canhgiac::feeds::FeedStats) {
    FeedSet::parse(body, FeedFormat::Domains, None).expect("the body parses")
}

fn url(u: &str) -> url::Url {
    url::Url::parse(u).unwrap()
}

#[test]
fn every_format_reads_into_one_list() {
    let body = "\
# a comment
! an adblock comment
[Adblock Plus 2.0]
lua-dao.top
0.0.0.0 hosts-file.vn
127.0.0.1 localhost
0.0.0.0 alias-one.vn alias-two.vn # trailing comment
||adblock-style.net^
sites.google.com/view/nhan-qua-tri-an
https://facebook.com/groups/lua-dao-viec-lam
evil-with-slash.top/
185.236.20.189
0x7f.1
2001:db8::1
[2001:db8::2]
GIẢ-MẠO.vn
";
    let (set, stats) = parse(body);
    assert_eq!(stats.bad_lines, 0, "{:?}", stats.bad_examples);
    assert_eq!(stats.url_prefixes, 2);
    assert_eq!(stats.ips, 4);
    for host in [
        "lua-dao.top",
        "www.lua-dao.top",
        "hosts-file.vn",
        "alias-one.vn",
        "alias-two.vn",
        "adblock-style.net",
        "evil-with-slash.top",
        "185.236.20.189",
        "127.0.0.1",
        "[2001:db8::1]",
        "[2001:db8::2]",
        "xn--gi-mo-m11bl.vn",
    ] {
        assert!(set.find(host).is_some(), "{host} should be listed");
    }
    assert!(
        set.find("localhost").is_none(),
        "a hosts file's own names are not entries"
    );
    // A page on a shared platform is a prefix: the platform itself is not listed.
    assert!(set.find("sites.google.com").is_none());
    assert!(set.find("facebook.com").is_none());
    assert!(set
        .find_url(&url(
            "https://sites.google.com/view/nhan-qua-tri-an/trang-2"
        ))
        .is_some());
    assert!(set
        .find_url(&url("http://facebook.com/groups/lua-dao-viec-lam?ref=x"))
        .is_some());
    assert!(set
        .find_url(&url("https://sites.google.com/view/nhan-qua-tri-an-khac"))
        .is_none());
    assert!(set
        .find_url(&url("https://sites.google.com/view/other"))
        .is_none());
}

#[test]
fn every_kind_of_bad_line_is_counted_by_kind() {
    let long = format!("{}.vn", "a".repeat(3000));
    let body = format!(
        "good.vn\nnot a domain at all\nbad_chars!.vn\nnodot\nftp://files.example/x\n\
         http://[zz/x\n||ads.example^$third-party\n||*.wild^\n@@||allowed.vn^\n\
         example.com##.banner\n<div>oops</div>\n{long}\nrouter 1.2.3.4\n"
    );
    let (set, stats) = parse(&body);
    assert_eq!(set.len(), 1);
    let kinds: Vec<(&str, usize)> = stats.bad_kinds.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        kinds,
        vec![
            ("adblock_rule", 4),
            ("bad_url", 2),
            ("hosts_line", 2),
            ("markup", 1),
            ("not_a_domain", 2),
            ("too_long", 1),
        ],
        "{:?}",
        stats.bad_examples
    );
    assert_eq!(stats.bad_lines, 12);
    assert_eq!(stats.bad_examples.len(), 5, "only the first few are quoted");
}

#[test]
fn a_word_is_read_for_what_it_is() {
    use canhgiac::feeds::parse_word;
    assert_eq!(parse_word("||a.vn^"), Ok(Entry::Host("a.vn".into())));
    assert_eq!(parse_word("||a.vn^$popup"), Err(BadLine::AdblockRule));
    assert_eq!(parse_word("<html>"), Err(BadLine::Markup));
    assert_eq!(
        parse_word("2130706433"),
        Ok(Entry::Host("127.0.0.1".into()))
    );
    assert_eq!(
        parse_word("zalo.me/3142857142857"),
        Ok(Entry::Prefix("zalo.me/3142857142857".into()))
    );
    assert_eq!(parse_word("mailto:x@y.vn/"), Err(BadLine::BadUrl));
}

#[test]
fn a_body_that_is_not_a_list_is_refused_whole() {
    let page =
        "<!DOCTYPE html>\n<html><head><title>404</title></head><body>not found</body></html>";
    assert_eq!(
        FeedSet::parse(page, FeedFormat::Domains, None),
        Err(FeedError::Html)
    );
    assert!(matches!(
        FeedSet::parse("# only comments\n", FeedFormat::Domains, None),
        Err(FeedError::NoEntries { bad_lines: 0 })
    ));
    // A list of 1,000 that comes back with 50 shrank to almost nothing: the old copy stays.
    let small: String = (0..50).map(|i| format!("s{i}.vn\n")).collect();
    assert_eq!(
        FeedSet::parse_refresh(&small, FeedFormat::Domains, None, Some(1000)),
        Err(FeedError::Shrank {
            entries: 50,
            previous: 1000
        })
    );
    let enough: String = (0..1000 * MIN_KEPT_PERCENT / 100)
        .map(|i| format!("s{i}.vn\n"))
        .collect();
    assert!(FeedSet::parse_refresh(&enough, FeedFormat::Domains, None, Some(1000)).is_ok());
}

#[test]
fn copies_with_prefixes_round_trip_and_old_copies_still_load() {
    let (set, _) = parse("a.vn\nsites.google.com/view/x\n1.2.3.4\n");
    let bytes = set.to_bytes();
    assert_eq!(FeedSet::from_bytes(&bytes).unwrap(), set);
    for cut in [bytes.len() - 1, 10, 13] {
        assert_eq!(
            FeedSet::from_bytes(&bytes[..cut]),
            Err(FeedError::BadStoredCopy),
            "cut at {cut}"
        );
    }
    // The earlier layout: bare sorted hashes.
    let old: Vec<u8> = [1u64, 5, 9].iter().flat_map(|h| h.to_le_bytes()).collect();
    assert_eq!(FeedSet::from_bytes(&old).unwrap().len(), 3);
}

fn engine_with(policy_json: &str, list: &str) -> Engine {
    let (policy, problems) = Policy::from_json(policy_json);
    assert!(problems.is_empty(), "{problems:?}");
    let mut engine = Engine::with_policy(policy);
    engine.set_builtin_lists(vec![("hostsVN".into(), parse(list).0)]);
    engine
}

#[test]
fn a_community_listed_host_is_a_warning_the_user_may_pass() {
    let engine = engine_with(
        "{}",
        "lua-dao.top\n185.236.20.189\nsites.google.com/view/qua\n",
    );
    for u in [
        "https://www.lua-dao.top/dang-nhap",
        "http://185.236.20.189/",
        "https://sites.google.com/view/qua/p",
    ] {
        let v = engine.check_url(u);
        assert_eq!(
            (v.level, v.category),
            (Level::Warn, Category::Listed),
            "{u}"
        );
        assert_eq!(v.reasons[0].code, ReasonCode::CommunityListed);
        assert_eq!(v.reasons[0].detail.as_deref(), Some("hostsVN"));
        assert!(v.bypass_minutes > 0, "{u}: community lists can be wrong");
    }
    assert_eq!(
        engine.check_url("https://vnexpress.net/").level,
        Level::Allow
    );
    assert_eq!(
        engine.check_url("https://sites.google.com/view/khac").level,
        Level::Allow
    );
    // An app package from a listed host is not merely a warning.
    assert_eq!(
        engine.check_url("https://lua-dao.top/VNeID.apk").level,
        Level::Block
    );
}

#[test]
fn no_bypass_policy_still_holds_for_community_warnings() {
    let engine = engine_with(r#"{"allowBypass": false}"#, "lua-dao.top\n");
    let v = engine.check_url("https://lua-dao.top/");
    assert_eq!(v.level, Level::Warn);
    assert_eq!(v.bypass_minutes, 0);
}

#[test]
fn the_organisations_own_lists_stay_blocks_with_no_way_past() {
    let engine = engine_with(
        r#"{"blockedDomains": ["lua-dao.top"], "exemptDomains": ["lua-dao.top"]}"#,
        "lua-dao.top\n",
    );
    let v = engine.check_url("https://lua-dao.top/");
    assert_eq!((v.level, v.category), (Level::Block, Category::Listed));
    assert_eq!(v.reasons[0].code, ReasonCode::ListedDomain);
    assert_eq!(v.bypass_minutes, 0);
}

#[test]
fn an_exempt_domain_escapes_built_in_lists_and_heuristics_only() {
    let engine = engine_with(
        r#"{"exemptDomains": ["lua-dao.top", "vneid-gov.top"]}"#,
        "lua-dao.top\n",
    );
    for u in ["https://a.lua-dao.top/", "https://vneid-gov.top/dang-nhap"] {
        let v = engine.check_url(u);
        assert_eq!(v.level, Level::Allow, "{u}: {v:?}");
        assert_eq!(v.reasons[0].code, ReasonCode::AdminExempt);
    }
    // Not exempt: the same lookalike is warned.
    let plain = engine_with("{}", "lua-dao.top\n");
    assert_eq!(
        plain.check_url("https://vneid-gov.top/dang-nhap").category,
        Category::Lookalike
    );
    // A user may not exempt anything.
    let (_, problems) = Policy::from_user_json(r#"{"exemptDomains": ["x.vn"]}"#);
    assert_eq!(problems[0].code, "admin_only");
}

#[test]
fn the_admin_switch_turns_built_in_lists_off_and_locks_it() {
    let engine = engine_with(r#"{"builtInLists": false}"#, "lua-dao.top\n");
    assert_eq!(engine.check_url("https://lua-dao.top/").level, Level::Allow);
    let (admin, _) = Policy::from_json(r#"{"builtInLists": false}"#);
    let (user, _) = Policy::from_user_json(r#"{"builtInLists": true}"#);
    assert!(
        !Policy::effective(&admin, &user).builtin_lists,
        "the admin's choice is locked"
    );
    let (user_off, _) = Policy::from_user_json(r#"{"builtInLists": false}"#);
    assert!(!Policy::effective(&Policy::default(), &user_off).builtin_lists);
    assert!(Policy::effective(&Policy::default(), &Policy::default()).builtin_lists);
    let (_, problems) = Policy::from_json(r#"{"builtInListsMirror": "http://mirror.vn/x"}"#);
    assert_eq!(problems.len(), 1, "a mirror must be https: {problems:?}");
}

#[test]
fn ips_are_valid_in_blocked_domains_and_urls_in_every_ipv4_spelling() {
    let (policy, problems) = Policy::from_json(
        r#"{"blockedDomains": ["185.236.20.189", "0x25.221.67.219", "[2001:db8::7]", "2001:db8::8"],
            "blockedUrls": ["http://45.67.34.152/tai"]}"#,
    );
    assert!(problems.is_empty(), "{problems:?}");
    let engine = Engine::with_policy(policy);
    for u in [
        "http://185.236.20.189/",
        "http://3119256765/",
        "http://0xb9.0xec.0x14.0xbd/",
        "http://0271.0354.024.0275/",
        "http://185.236.5309/",
        "http://37.221.67.219/x",
        "http://[2001:db8::7]/",
        "http://[2001:0db8:0:0::8]/",
        "http://45.67.34.152/tai/app",
        "http://0x2d.0x43.0x22.0x98/tai",
    ] {
        let v = engine.check_url(u);
        assert_eq!(
            (v.level, v.category),
            (Level::Block, Category::Listed),
            "{u}"
        );
    }
    assert_eq!(
        engine.check_url("http://185.236.20.18/").level,
        Level::Allow
    );
    // A feed's IPs match the same way.
    let (feed, _) = parse("0xb9.236.20.189\n");
    let mut engine = Engine::new();
    engine.set_feeds(vec![feed]);
    assert_eq!(engine.check_url("http://3119256765/").level, Level::Block);
}

#[test]
fn the_policy_snapshot_keeps_the_new_keys() {
    let (policy, _) = Policy::from_json(
        r#"{"builtInLists": false, "builtInListsMirror": "https://mirror.so.vn/lists/", "exemptDomains": ["a.vn"]}"#,
    );
    let bytes = canhgiac::snapshot::save(&policy);
    assert_eq!(canhgiac::snapshot::restore(&bytes).unwrap(), policy);
}

#[test]
fn the_shipped_snapshot_parses_cleanly() {
    let threat = include_str!("../data/lists/hostsVN-threat-VN.txt");
    let ips = include_str!("../data/lists/hostsVN-ip-threat.txt");
    let (t, ts) = parse(threat);
    let (i, is) = parse(ips);
    assert!(ts.entries > 4000, "{ts:?}");
    assert!(is.entries > 90, "{is:?}");
    assert_eq!(is.ips, is.entries);
    assert!(t.find("247vi-bank.com").is_some());
    assert!(i.find("185.236.20.189").is_some());
    assert!(t.find("vnexpress.net").is_none());
}
