//! The policy's keys, in one table: each key's name, the shape of its value and its limits,
//! whether only an administrator may set it, what the admin templates and the managed-storage
//! schema say about it, and an example value. The list of known keys, the admin-only keys, the
//! admin templates (`admin::adminkit`) and `managed_schema.json` (`admin::schema`) are all made
//! from [`KEY_SPECS`]; the validator, `to_json` and the snapshot name each key in code, and
//! tests run every row through them so that a key missing from one fails by name.

use serde::{Serialize, Serializer};

/// Default for how long a "continue anyway" lasts, in minutes.
pub const DEFAULT_BYPASS_MINUTES: u32 = 30;
/// Shortest bypass: a minute (zero would be no bypass; `allowBypass: false` says that).
pub const MIN_BYPASS_MINUTES: u32 = 1;
/// Longest bypass an admin may set: a working day, so a bypass never outlives the day.
pub const MAX_BYPASS_MINUTES: u32 = 24 * 60;
/// Default feed refresh interval: every six hours is fresh enough for blocklists.
pub const DEFAULT_FEED_REFRESH_MINUTES: u32 = 6 * 60;
/// Shortest feed refresh, so a typo cannot hammer the feed server.
pub const MIN_FEED_REFRESH_MINUTES: u32 = 15;
/// Longest feed refresh: a week.
pub const MAX_FEED_REFRESH_MINUTES: u32 = 7 * 24 * 60;

/// A check an admin may switch off with `disabledChecks` (block lists cannot be).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// App packages and profiles from outside the official stores.
    Sideload,
    /// Domains imitating well-known or protected ones.
    Lookalike,
    /// Link shorteners hiding where a link goes.
    Shortener,
    /// Invitation and friend-request pages of chat sites.
    SocialInvite,
    /// Redirectors wrapping another address.
    Redirect,
    /// `javascript:` and other schemes that run or hide content.
    UnsafeScheme,
}

impl Check {
    /// Every check, in the order the admin texts list them.
    pub const ALL: [Check; 6] = [
        Check::Sideload,
        Check::Lookalike,
        Check::Shortener,
        Check::SocialInvite,
        Check::Redirect,
        Check::UnsafeScheme,
    ];

    /// The name a policy writes (`social_invite`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Check::Sideload => "sideload",
            Check::Lookalike => "lookalike",
            Check::Shortener => "shortener",
            Check::SocialInvite => "social_invite",
            Check::Redirect => "redirect",
            Check::UnsafeScheme => "unsafe_scheme",
        }
    }

    /// The check a policy names, if `name` is one.
    pub fn parse(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// The language warnings are shown in, as the `language` key sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// Follow the browser's language (the default).
    #[default]
    Auto,
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl Language {
    /// Every value, the default first (the admin templates' drop-down order).
    pub const ALL: [Language; 3] = [Language::Auto, Language::Vi, Language::En];

    /// The value a policy writes (`auto`, `vi`, `en`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Language::Auto => "auto",
            Language::Vi => "vi",
            Language::En => "en",
        }
    }

    /// The language a policy names, if `value` is one.
    pub fn parse(value: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.as_str() == value)
    }

    /// How the admin templates name this choice.
    pub const fn display(self) -> Text {
        match self {
            Language::Auto => Text {
                en: "Automatic (the browser's language)",
                vi: "Tự động (theo trình duyệt)",
            },
            Language::Vi => Text {
                en: "Vietnamese",
                vi: "Tiếng Việt",
            },
            Language::En => Text {
                en: "English",
                vi: "Tiếng Anh",
            },
        }
    }
}

/// Serialises, compares and prints a value as the string a policy writes it with.
macro_rules! spelled_as_str {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// Compares with the string a policy writes.
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
spelled_as_str!(Check);
spelled_as_str!(Language);

/// Values of the `language` key, the default first.
pub const LANGUAGES: &[&str] = &{
    let mut out = [""; Language::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = Language::ALL[i].as_str();
        i += 1;
    }
    out
};

/// Names of the checks an admin may switch off with `disabledChecks`.
pub const CHECK_NAMES: &[&str] = &{
    let mut out = [""; Check::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = Check::ALL[i].as_str();
        i += 1;
    }
    out
};

/// The shape of a policy key's value: what the admin templates offer, how the Windows registry
/// holds it, and its type in the managed-storage schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyKind {
    /// `true`/`false` (a DWORD 1/0 in the registry).
    Bool,
    /// A whole number within `min..=max` (a DWORD).
    Integer {
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
        /// The value when the key is not set.
        default: u32,
    },
    /// A single string.
    Text,
    /// A list of strings (a sub-key of values `1`, `2`, … in the registry).
    List,
    /// One of a fixed set of strings.
    Enum(&'static [&'static str]),
    /// An object or a list of objects (JSON text in one registry string); its fields are the
    /// row's [`KeySpec::json`].
    Json,
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Vietnamese.
    pub vi: &'static str,
}

/// What the admin templates (Group Policy) show for a key: a title and an explanation, worded
/// for their inputs (one a line, Enabled/Disabled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Help {
    /// The policy's name in the Group Policy editor.
    pub title: Text,
    /// Its explanation there.
    pub explain: Text,
}

/// What `managed_schema.json` says about a key (English: Chromium shows schema text as is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaText {
    /// The schema's `title`.
    pub title: &'static str,
    /// The schema's `description`, with the value's limits and default.
    pub description: &'static str,
}

/// One string field of a JSON key's object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The field's name.
    pub name: &'static str,
    /// What it holds, for the schema.
    pub description: &'static str,
}

/// The objects a [`KeyKind::Json`] key holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonShape {
    /// A list of such objects rather than one.
    pub list: bool,
    /// Each object's fields (all strings).
    pub fields: &'static [Field],
}

/// One policy key: everything the engine and its admin outputs know about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    /// The camelCase key.
    pub name: &'static str,
    /// Its value's shape and limits.
    pub kind: KeyKind,
    /// Only an administrator may set it (it sends data off the machine, fetches from the
    /// network, or exempts sites): the user's own options may not.
    pub admin_only: bool,
    /// The admin templates' text.
    pub template: Help,
    /// The managed-storage schema's text.
    pub schema: SchemaText,
    /// For a [`KeyKind::Json`] key, the objects it holds.
    pub json: Option<JsonShape>,
    /// A valid value other than the default, as JSON, with every field of an object set (`to_json`
    /// writes an unset field as `null`): the tests set every key with it.
    pub example: &'static str,
}

/// Every policy key, in the order the admin templates and the schema list them.
pub const KEY_SPECS: &[KeySpec] = &[
    KeySpec {
        name: "allowedStores",
        kind: KeyKind::List,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Extra app stores",
                vi: "Cửa hàng ứng dụng được tin cậy thêm",
            },
            explain: Text {
                en: "Domains of app stores you trust like Google Play and the App Store (an MDM portal, appgallery.huawei.com), one a line. Subdomains are included. Write domains only, without https://.",
                vi: "Tên miền của các cửa hàng ứng dụng đơn vị tin cậy như Google Play và App Store (cổng MDM, appgallery.huawei.com), mỗi dòng một tên miền. Gồm cả tên miền con. Chỉ ghi tên miền, không ghi https://.",
            },
        },
        schema: SchemaText {
            title: "Extra app stores",
            description: "Domains of app stores your organisation trusts like Google Play and the App Store (an MDM portal, appgallery.huawei.com). Subdomains are included. Write domains only, without https://.",
        },
        json: None,
        example: r#"["appgallery.huawei.com"]"#,
    },
    KeySpec {
        name: "allowedDownloadHosts",
        kind: KeyKind::List,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Allowed download hosts",
                vi: "Nơi được phép tải ứng dụng",
            },
            explain: Text {
                en: "Domains from which app packages and programs may be downloaded without a warning, such as your own software repository, one a line. Subdomains are included.",
                vi: "Tên miền được phép tải gói ứng dụng và chương trình mà không bị cảnh báo, ví dụ kho phần mềm của đơn vị, mỗi dòng một tên miền. Gồm cả tên miền con.",
            },
        },
        schema: SchemaText {
            title: "Allowed download hosts",
            description: "Domains from which app packages and programs may be downloaded without a warning, such as your own software repository. Subdomains are included.",
        },
        json: None,
        example: r#"["phanmem.so.gov.vn"]"#,
    },
    KeySpec {
        name: "blockedDomains",
        kind: KeyKind::List,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Blocked domains",
                vi: "Tên miền bị chặn",
            },
            explain: Text {
                en: "Domains always blocked, with every subdomain, above every other rule (official stores included), one a line. Users cannot continue past them. At most 10,000; use block-list feeds for longer lists.",
                vi: "Tên miền luôn bị chặn, cùng mọi tên miền con, trên mọi quy tắc khác (kể cả cửa hàng chính thức), mỗi dòng một tên miền. Người dùng không thể bỏ qua. Tối đa 10.000; danh sách dài hơn hãy dùng nguồn danh sách chặn.",
            },
        },
        schema: SchemaText {
            title: "Blocked domains",
            description: "Domains (or IP addresses) always blocked, with every subdomain, above every other rule (official stores included). Users cannot continue past them. Up to 10,000; use blocklistFeeds for longer lists.",
        },
        json: None,
        example: r#"["lua-dao.top"]"#,
    },
    KeySpec {
        name: "blockedUrls",
        kind: KeyKind::List,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Blocked URL prefixes",
                vi: "Địa chỉ (URL) bị chặn",
            },
            explain: Text {
                en: "Addresses blocked by prefix, one a line, for pages on shared platforms (a scam Zalo account: https://zalo.me/3142857142857). http and https both match.",
                vi: "Địa chỉ bị chặn theo phần đầu, mỗi dòng một địa chỉ, dành cho trang trên nền tảng dùng chung (tài khoản Zalo lừa đảo: https://zalo.me/3142857142857). Khớp cả http và https.",
            },
        },
        schema: SchemaText {
            title: "Blocked URL prefixes",
            description: "Addresses blocked by prefix, for pages on shared platforms (a scam Zalo account: https://zalo.me/3142857142857). http and https both match.",
        },
        json: None,
        example: r#"["https://zalo.me/3142857142857"]"#,
    },
    KeySpec {
        name: "protectedDomains",
        kind: KeyKind::List,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Your organisation's domains",
                vi: "Tên miền của đơn vị",
            },
            explain: Text {
                en: "Domains of your organisation (sonoivu.daklak.gov.vn), one a line. Sites imitating them are warned as impersonation.",
                vi: "Tên miền của đơn vị (sonoivu.daklak.gov.vn), mỗi dòng một tên miền. Trang giả mạo các tên miền này sẽ bị cảnh báo là mạo danh.",
            },
        },
        schema: SchemaText {
            title: "Your organisation's domains",
            description: "Domains of your organisation (sonoivu.daklak.gov.vn). Sites imitating them are warned as impersonation.",
        },
        json: None,
        example: r#"["sonoivu.daklak.gov.vn"]"#,
    },
    KeySpec {
        name: "allowBypass",
        kind: KeyKind::Bool,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Allow continuing past a warning",
                vi: "Cho phép bỏ qua cảnh báo",
            },
            explain: Text {
                en: "Enabled: users may choose \"continue anyway\" on a warning. Disabled: a warning has no way past it. Not configured: allowed.",
                vi: "Enabled (Bật): người dùng được chọn \"vẫn tiếp tục\" trên trang cảnh báo. Disabled (Tắt): không có cách nào bỏ qua cảnh báo. Not Configured (Chưa cấu hình): được phép.",
            },
        },
        schema: SchemaText {
            title: "Allow continuing past a warning",
            description: "When false, a warning has no 'continue anyway'. Default true.",
        },
        json: None,
        example: r#"false"#,
    },
    KeySpec {
        name: "bypassMinutes",
        kind: KeyKind::Integer {
            min: MIN_BYPASS_MINUTES,
            max: MAX_BYPASS_MINUTES,
            default: DEFAULT_BYPASS_MINUTES,
        },
        admin_only: false,
        template: Help {
            title: Text {
                en: "Length of a \"continue anyway\" (minutes)",
                vi: "Thời gian hiệu lực của \"vẫn tiếp tục\" (phút)",
            },
            explain: Text {
                en: "How long a \"continue anyway\" lasts, for that site in that tab.",
                vi: "Thời gian một lần \"vẫn tiếp tục\" còn hiệu lực, cho trang đó trong thẻ đó.",
            },
        },
        schema: SchemaText {
            title: "Length of a 'continue anyway'",
            description: "Minutes a 'continue anyway' lasts for that site in that tab, 1 to 1440. Default 30.",
        },
        json: None,
        example: r#"5"#,
    },
    KeySpec {
        name: "reportEndpoint",
        kind: KeyKind::Text,
        admin_only: true,
        template: Help {
            title: Text {
                en: "Report endpoint (https://)",
                vi: "Địa chỉ nhận báo cáo (https://)",
            },
            explain: Text {
                en: "The https:// address that receives users' reports. Not configured: reports stay on the machine and users are shown how to take them to the police.",
                vi: "Địa chỉ https:// nhận báo cáo của người dùng. Not Configured (Chưa cấu hình): báo cáo được giữ trên máy và người dùng được hướng dẫn gửi cho công an.",
            },
        },
        schema: SchemaText {
            title: "Report endpoint",
            description: "https:// address that receives users' reports as JSON (docs/report-endpoint.md). Without it, reports stay on the computer and users are shown how to take them to the police.",
        },
        json: None,
        example: r#""https://bao-cao.example.gov.vn/api""#,
    },
    KeySpec {
        name: "reportContact",
        kind: KeyKind::Json,
        admin_only: true,
        template: Help {
            title: Text {
                en: "Contact shown to users (JSON)",
                vi: "Liên hệ hiển thị cho người dùng (JSON)",
            },
            explain: Text {
                en: "Your unit's contact, shown to users before the police contact, as JSON text: {\"name\": \"Phòng CNTT\", \"phone\": \"0262 3 000 000\", \"email\": \"cntt@example.gov.vn\"}.",
                vi: "Liên hệ của đơn vị, hiển thị cho người dùng trước liên hệ công an, dạng văn bản JSON: {\"name\": \"Phòng CNTT\", \"phone\": \"0262 3 000 000\", \"email\": \"cntt@example.gov.vn\"}.",
            },
        },
        schema: SchemaText {
            title: "Contact shown to users",
            description: "Your unit's name, phone and email, shown on warnings and reports before the police contact.",
        },
        json: Some(JsonShape {
            list: false,
            fields: &[
                Field { name: "name", description: "Unit or person" },
                Field { name: "phone", description: "Phone number" },
                Field { name: "email", description: "Email address" },
            ],
        }),
        example: r#"{"name": "Phòng CNTT", "phone": "0262 3 000 000", "email": "cntt@example.gov.vn"}"#,
    },
    KeySpec {
        name: "blocklistFeeds",
        kind: KeyKind::Json,
        admin_only: true,
        template: Help {
            title: Text {
                en: "Block-list feeds (JSON)",
                vi: "Nguồn danh sách chặn (JSON)",
            },
            explain: Text {
                en: "Block lists fetched over HTTPS on a schedule, as a JSON list: [{\"url\": \"https://example.gov.vn/blocklist.txt\", \"format\": \"domains\"}]. format is domains, hosts or json; an optional sha256 pins the exact body.",
                vi: "Danh sách chặn được tải qua HTTPS theo lịch, dạng danh sách JSON: [{\"url\": \"https://example.gov.vn/blocklist.txt\", \"format\": \"domains\"}]. format là domains, hosts hoặc json; sha256 (không bắt buộc) ghim đúng nội dung tệp.",
            },
        },
        schema: SchemaText {
            title: "Block-list feeds",
            description: "Lists fetched over HTTPS on a schedule. format: domains (one a line), hosts (0.0.0.0 evil.top) or json; sha256 optionally pins the exact body. The last good copy stays in force when a fetch fails.",
        },
        json: Some(JsonShape {
            list: true,
            fields: &[
                Field { name: "url", description: "https:// address of the list" },
                Field { name: "format", description: "domains, hosts or json" },
                Field { name: "sha256", description: "Optional SHA-256 of the body, 64 hex digits" },
            ],
        }),
        example: r#"[{"url": "https://example.gov.vn/hosts.txt", "format": "hosts", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]"#,
    },
    KeySpec {
        name: "feedRefreshMinutes",
        kind: KeyKind::Integer {
            min: MIN_FEED_REFRESH_MINUTES,
            max: MAX_FEED_REFRESH_MINUTES,
            default: DEFAULT_FEED_REFRESH_MINUTES,
        },
        admin_only: true,
        template: Help {
            title: Text {
                en: "Feed refresh interval (minutes)",
                vi: "Chu kỳ cập nhật nguồn danh sách chặn (phút)",
            },
            explain: Text {
                en: "How often block-list feeds are refreshed.",
                vi: "Khoảng thời gian giữa hai lần cập nhật nguồn danh sách chặn.",
            },
        },
        schema: SchemaText {
            title: "Feed refresh interval",
            description: "Minutes between feed refreshes, 15 to 10080. Default 360.",
        },
        json: None,
        example: r#"60"#,
    },
    KeySpec {
        name: "disabledChecks",
        kind: KeyKind::List,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Checks switched off",
                vi: "Các phép kiểm tra bị tắt",
            },
            explain: Text {
                en: "Checks to switch off, one a line: sideload, lookalike, shortener, social_invite, redirect, unsafe_scheme. Your block lists cannot be switched off.",
                vi: "Các phép kiểm tra cần tắt, mỗi dòng một tên: sideload, lookalike, shortener, social_invite, redirect, unsafe_scheme. Danh sách chặn của đơn vị không tắt được.",
            },
        },
        schema: SchemaText {
            title: "Checks switched off",
            description: "Any of: sideload, lookalike, shortener, social_invite, redirect, unsafe_scheme. Block lists cannot be switched off.",
        },
        json: None,
        example: r#"["shortener"]"#,
    },
    KeySpec {
        name: "language",
        kind: KeyKind::Enum(LANGUAGES),
        admin_only: false,
        template: Help {
            title: Text {
                en: "Language of warnings",
                vi: "Ngôn ngữ của cảnh báo",
            },
            explain: Text {
                en: "The language warnings are shown in. Automatic follows the browser.",
                vi: "Ngôn ngữ hiển thị cảnh báo. Tự động: theo ngôn ngữ của trình duyệt.",
            },
        },
        schema: SchemaText {
            title: "Language of warnings",
            description: "vi, en, or auto (follow the browser). Default auto.",
        },
        json: None,
        example: r#""en""#,
    },
    KeySpec {
        name: "socialNotices",
        kind: KeyKind::Bool,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Notices on friend-request and invitation pages",
                vi: "Nhắc nhở trên trang kết bạn và lời mời",
            },
            explain: Text {
                en: "Enabled or not configured: a small notice on friend-request and invitation pages of Zalo, Facebook, Messenger, Telegram, WhatsApp. Disabled: no notice.",
                vi: "Enabled (Bật) hoặc Not Configured (Chưa cấu hình): hiện một lời nhắc nhỏ trên trang kết bạn và lời mời của Zalo, Facebook, Messenger, Telegram, WhatsApp. Disabled (Tắt): không hiện.",
            },
        },
        schema: SchemaText {
            title: "Notices on friend-request and chat pages",
            description: "Show a small notice on invitation and friend-request pages of Zalo, Facebook, Messenger, Telegram and WhatsApp. Default true.",
        },
        json: None,
        example: r#"false"#,
    },
    KeySpec {
        name: "builtInLists",
        kind: KeyKind::Bool,
        admin_only: false,
        template: Help {
            title: Text {
                en: "Built-in community threat lists",
                vi: "Danh sách lừa đảo cộng đồng có sẵn",
            },
            explain: Text {
                en: "Enabled or not configured: hosts on the built-in hostsVN list of scam and phishing sites aimed at Vietnamese users get a warning the user may pass (community lists can be wrong); the list refreshes once a day. Disabled: the built-in lists are not used. Either choice is locked for users.",
                vi: "Enabled (Bật) hoặc Not Configured (Chưa cấu hình): trang có trong danh sách hostsVN các trang lừa đảo nhắm vào người Việt sẽ bị cảnh báo, người dùng vẫn có thể đi tiếp (danh sách cộng đồng có thể nhầm); danh sách được cập nhật mỗi ngày. Disabled (Tắt): không dùng. Người dùng không đổi được lựa chọn này.",
            },
        },
        schema: SchemaText {
            title: "Built-in community threat lists",
            description: "Use the built-in hostsVN list of scam and phishing hosts aimed at Vietnamese users (a warning the user may pass), refreshed daily. Default true. Setting it locks the choice for users.",
        },
        json: None,
        example: r#"false"#,
    },
    KeySpec {
        name: "builtInListsMirror",
        kind: KeyKind::Text,
        admin_only: true,
        template: Help {
            title: Text {
                en: "Mirror of the built-in lists",
                vi: "Bản sao danh sách có sẵn",
            },
            explain: Text {
                en: "An https:// folder on your own server holding threat-VN.txt and ip-threat.txt, fetched instead of the upstream GitHub address.",
                vi: "Một thư mục https:// trên máy chủ của đơn vị chứa threat-VN.txt và ip-threat.txt, được tải thay cho địa chỉ GitHub gốc.",
            },
        },
        schema: SchemaText {
            title: "Mirror of the built-in lists",
            description: "An https:// folder holding threat-VN.txt and ip-threat.txt, fetched instead of the upstream GitHub address.",
        },
        json: None,
        example: r#""https://mirror.example.gov.vn/lists/""#,
    },
    KeySpec {
        name: "exemptDomains",
        kind: KeyKind::List,
        admin_only: true,
        template: Help {
            title: Text {
                en: "Domains exempt from built-in lists and heuristics",
                vi: "Tên miền được miễn khỏi danh sách có sẵn và phép suy đoán",
            },
            explain: Text {
                en: "Domains, one a line, that the built-in lists and the heuristic checks never warn about (with their subdomains). Your own block lists still apply to them.",
                vi: "Các tên miền, mỗi dòng một tên, không bao giờ bị danh sách có sẵn và các phép kiểm tra suy đoán cảnh báo (kể cả tên miền con). Danh sách chặn của đơn vị vẫn áp dụng.",
            },
        },
        schema: SchemaText {
            title: "Domains exempt from built-in lists and heuristics",
            description: "Domains (with subdomains) that the built-in lists and heuristic checks never warn about. Your own block lists still apply.",
        },
        json: None,
        example: r#"["noi-bo.example.vn"]"#,
    },
    KeySpec {
        name: "policeContact",
        kind: KeyKind::Json,
        admin_only: true,
        template: Help {
            title: Text {
                en: "Police contact in place of the nationwide one (JSON)",
                vi: "Liên hệ công an thay cho liên hệ toàn quốc (JSON)",
            },
            explain: Text {
                en: "The police unit users are told to call, replacing the nationwide default (113, the nearest commune or ward police station, the national reporting site), as JSON text: {\"name\": \"Phòng An ninh mạng, Công an tỉnh Đắk Lắk\", \"phone\": \"0694.387.389\", \"url\": \"https://…\"}. A name and a phone or an https:// url are required. Not configured: the nationwide contact.",
                vi: "Đơn vị công an mà người dùng được hướng dẫn liên hệ, thay cho mặc định toàn quốc (113, Công an xã, phường gần nhất, trang tiếp nhận phản ánh quốc gia), dạng văn bản JSON: {\"name\": \"Phòng An ninh mạng, Công an tỉnh Đắk Lắk\", \"phone\": \"0694.387.389\", \"url\": \"https://…\"}. Bắt buộc có name và phone hoặc url (https://). Not Configured (Chưa cấu hình): dùng liên hệ toàn quốc.",
            },
        },
        schema: SchemaText {
            title: "Police contact in place of the nationwide one",
            description: "The police unit users are told to contact, replacing the nationwide default (113, the nearest commune or ward police station, the national reporting site). A name, and a phone or an https:// url.",
        },
        json: Some(JsonShape {
            list: false,
            fields: &[
                Field { name: "name", description: "Police unit" },
                Field { name: "phone", description: "Hotline" },
                Field { name: "url", description: "https:// site for reporting" },
            ],
        }),
        example: r#"{"name": "Công an tỉnh", "phone": "0694.387.389", "url": "https://congan.daklak.gov.vn/"}"#,
    },
];

/// How many keys [`KEY_SPECS`] names with `admin_only` (for [`ADMIN_ONLY_KEYS`]' length).
const fn admin_only_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < KEY_SPECS.len() {
        if KEY_SPECS[i].admin_only {
            n += 1;
        }
        i += 1;
    }
    n
}

/// Every key the policy understands, in [`KEY_SPECS`] order.
pub const KNOWN_KEYS: &[&str] = &{
    let mut out = [""; KEY_SPECS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = KEY_SPECS[i].name;
        i += 1;
    }
    out
};

/// Keys only an admin may set, in [`KEY_SPECS`] order.
pub const ADMIN_ONLY_KEYS: &[&str] = &{
    let mut out = [""; admin_only_count()];
    let (mut i, mut n) = (0, 0);
    while i < KEY_SPECS.len() {
        if KEY_SPECS[i].admin_only {
            out[n] = KEY_SPECS[i].name;
            n += 1;
        }
        i += 1;
    }
    out
};

/// The row of `key`, if it is a policy key.
pub fn key_spec(key: &str) -> Option<&'static KeySpec> {
    KEY_SPECS.iter().find(|k| k.name == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_lists_follow_the_table_and_the_enums() {
        let names: Vec<&str> = KEY_SPECS.iter().map(|k| k.name).collect();
        assert_eq!(names, KNOWN_KEYS);
        let admin: Vec<&str> = KEY_SPECS
            .iter()
            .filter(|k| k.admin_only)
            .map(|k| k.name)
            .collect();
        assert_eq!(admin, ADMIN_ONLY_KEYS);
        assert!(!ADMIN_ONLY_KEYS.is_empty());
        for (i, c) in Check::ALL.into_iter().enumerate() {
            assert_eq!(CHECK_NAMES[i], c.as_str());
            assert_eq!(Check::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for (i, l) in Language::ALL.into_iter().enumerate() {
            assert_eq!(LANGUAGES[i], l.as_str());
            assert_eq!(Language::parse(l.as_str()), Some(l));
        }
        assert_eq!(Language::ALL[0], Language::default(), "the default first");
        assert_eq!(Check::parse("Sideload"), None);
        assert_eq!(Language::parse("fr"), None);
    }

    #[test]
    fn every_row_is_complete() {
        let mut seen = std::collections::HashSet::new();
        for k in KEY_SPECS {
            assert!(seen.insert(k.name), "{} twice", k.name);
            for text in [k.template.title, k.template.explain] {
                assert!(
                    !text.en.trim().is_empty() && !text.vi.trim().is_empty(),
                    "{}",
                    k.name
                );
                assert_ne!(text.en, text.vi, "{}: not translated", k.name);
            }
            assert!(!k.schema.title.is_empty(), "{}", k.name);
            assert!(k.schema.description.len() > 20, "{}", k.name);
            assert_eq!(
                matches!(k.kind, KeyKind::Json),
                k.json.is_some(),
                "{}: a JSON key, and only one, names its fields",
                k.name
            );
            serde_json::from_str::<serde_json::Value>(k.example)
                .unwrap_or_else(|e| panic!("{}: the example is not JSON: {e}", k.name));
        }
    }

    #[test]
    fn the_texts_name_every_value_a_key_takes() {
        let checks = key_spec("disabledChecks").unwrap();
        for c in Check::ALL {
            for text in [
                checks.schema.description,
                checks.template.explain.en,
                checks.template.explain.vi,
            ] {
                assert!(
                    text.contains(c.as_str()),
                    "disabledChecks' text lacks {c}: {text}"
                );
            }
        }
        let language = key_spec("language").unwrap();
        assert_eq!(language.kind, KeyKind::Enum(LANGUAGES));
        for l in Language::ALL {
            assert!(language.schema.description.contains(l.as_str()), "{l}");
        }
    }
}
