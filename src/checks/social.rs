//! Friend-request, invitation and chat-start links on the social networks where the scam begins.

use url::Url;

use crate::checks::facts::Facts;
use crate::verdict::{Reason, ReasonCode};

/// Shortest numeric Zalo path treated as a phone number or account id (`zalo.me/0912345678`).
const MIN_ZALO_ID_DIGITS: usize = 6;

/// Facebook hosts that serve the same pages.
const FACEBOOK_HOSTS: &[&str] = &[
    "facebook.com",
    "www.facebook.com",
    "m.facebook.com",
    "web.facebook.com",
    "mbasic.facebook.com",
    "touch.facebook.com",
];

/// Telegram paths that are not a person or a group.
const TELEGRAM_RESERVED: &[&str] = &[
    "",
    "s",
    "share",
    "iv",
    "addstickers",
    "addemoji",
    "addtheme",
    "proxy",
    "socks",
    "setlanguage",
    "login",
];

/// The social-invite reason for a web URL, if it is one.
pub fn invite(facts: &Facts<'_>) -> Option<Reason> {
    let mut segs = facts.path_lower.trim_start_matches('/').split('/');
    let first = segs.next().unwrap_or_default();
    let second = segs.next().unwrap_or_default();
    let shown = || format!("{}{}", facts.host, facts.url.path().trim_end_matches('/'));
    let host = facts.host;
    let digits = |s: &str| {
        s.len() >= MIN_ZALO_ID_DIGITS && s.bytes().all(|b| b.is_ascii_digit() || b == b'+')
    };
    let code = match host {
        "zalo.me" | "www.zalo.me" if first == "g" && !second.is_empty() => {
            ReasonCode::SocialGroupInvite
        }
        "zalo.me" | "www.zalo.me" if digits(first) => ReasonCode::SocialChatLink,
        h if FACEBOOK_HOSTS.contains(&h) && first == "friends" => ReasonCode::SocialFriendRequest,
        h if FACEBOOK_HOSTS.contains(&h) && first == "messages" && second == "t" => {
            ReasonCode::SocialChatLink
        }
        // A profile by number is how a new account is shared: a friend request in the making.
        h if FACEBOOK_HOSTS.contains(&h)
            && first == "profile.php"
            && facts.url.query_pairs().any(|(k, v)| {
                k == "id" && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
            }) =>
        {
            ReasonCode::SocialFriendRequest
        }
        h if FACEBOOK_HOSTS.contains(&h) && first == "groups" && !second.is_empty() => {
            ReasonCode::SocialGroupInvite
        }
        // fb.me/<name> opens a person's or a page's profile.
        "fb.me" | "www.fb.me" if !first.is_empty() => ReasonCode::SocialFriendRequest,
        // A Zalo Official Account page: a chat with an account that may pose as an agency.
        "oa.zalo.me" if !first.is_empty() => ReasonCode::SocialChatLink,
        // m.me/j/<code> joins a group chat; m.me/<name> opens a chat with one person.
        "m.me" if first == "j" && !second.is_empty() => ReasonCode::SocialGroupInvite,
        "m.me" if !first.is_empty() => ReasonCode::SocialChatLink,
        "messenger.com" | "www.messenger.com" if first == "t" && !second.is_empty() => {
            ReasonCode::SocialChatLink
        }
        // t.me/+84912345678 is a chat with a phone number; t.me/+AbC… a private group invite.
        "t.me" | "telegram.me" | "www.t.me" | "telegram.dog"
            if first
                .strip_prefix('+')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            ReasonCode::SocialChatLink
        }
        "t.me" | "telegram.me" | "www.t.me" | "telegram.dog"
            if first.starts_with('+') || first == "joinchat" =>
        {
            ReasonCode::SocialGroupInvite
        }
        "t.me" | "telegram.me" | "www.t.me" | "telegram.dog"
            if !TELEGRAM_RESERVED.contains(&first) =>
        {
            ReasonCode::SocialChatLink
        }
        "wa.me" if digits(first) || first == "message" => ReasonCode::SocialChatLink,
        "api.whatsapp.com" | "web.whatsapp.com" if first == "send" => ReasonCode::SocialChatLink,
        "chat.whatsapp.com" if !first.is_empty() => ReasonCode::SocialGroupInvite,
        _ => return None,
    };
    Some(Reason::new(code, shown()))
}

/// The social-invite reason for an app scheme (`zalo:`, `tg:`, `fb-messenger:`, `whatsapp:`).
pub fn app_scheme(url: &Url) -> Option<Reason> {
    let code = match url.scheme() {
        "tg" if url.host_str() == Some("join") || url.path() == "join" => {
            ReasonCode::SocialGroupInvite
        }
        "zalo" | "fb-messenger" | "tg" | "whatsapp" | "viber" => ReasonCode::SocialChatLink,
        _ => return None,
    };
    Some(Reason::new(code, format!("{}:", url.scheme())))
}
