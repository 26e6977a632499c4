//! `managed_schema.json`, the schema Chromium browsers check an admin's managed values against
//! before the extension sees them, written from the policy's key table ([`KEY_SPECS`]) so that
//! a key's type cannot differ between the schema and the validator. `canhgiac schema` prints it;
//! the copy in `extension/` must equal that output (tests/schema.rs).
//!
//! Chromium refuses a schema with a keyword it does not know, so this writes only `type`,
//! `title`, `description`, `properties` and `items`.

use crate::policy::keys::{Field, KeyKind, KeySpec, KEY_SPECS};

/// A JSON value of the schema, with its keys in the order they are written.
enum Node {
    Text(&'static str),
    Object(Vec<(&'static str, Node)>),
}

/// The managed-storage schema, as pretty JSON text with a final newline.
pub fn managed_schema() -> String {
    let properties = KEY_SPECS.iter().map(|k| (k.name, property(k))).collect();
    let root = Node::Object(vec![
        ("type", Node::Text("object")),
        ("properties", Node::Object(properties)),
    ]);
    let mut out = String::new();
    write(&root, 0, &mut out);
    out.push('\n');
    out
}

/// One key's entry: its title, description and type.
fn property(k: &KeySpec) -> Node {
    let mut entry = vec![
        ("title", Node::Text(k.schema.title)),
        ("description", Node::Text(k.schema.description)),
    ];
    let strings = || Node::Object(vec![("type", Node::Text("string"))]);
    match (k.kind, k.json) {
        (KeyKind::Bool, _) => entry.push(("type", Node::Text("boolean"))),
        (KeyKind::Integer { .. }, _) => entry.push(("type", Node::Text("integer"))),
        (KeyKind::List, _) => {
            entry.push(("type", Node::Text("array")));
            entry.push(("items", strings()));
        }
        (KeyKind::Json, Some(shape)) if shape.list => {
            entry.push(("type", Node::Text("array")));
            entry.push(("items", object(shape.fields)));
        }
        (KeyKind::Json, Some(shape)) => {
            let Node::Object(fields) = object(shape.fields) else {
                unreachable!("object() makes an object")
            };
            entry.extend(fields);
        }
        // A row's test requires the fields of every JSON key (src/policy/keys.rs).
        (KeyKind::Json, None) => entry.push(("type", Node::Text("object"))),
        // Within the keywords above an enum's value is a string; the validator checks which.
        (KeyKind::Text | KeyKind::Enum(_), _) => entry.push(("type", Node::Text("string"))),
    }
    Node::Object(entry)
}

/// An object of string `fields`.
fn object(fields: &[Field]) -> Node {
    let properties = fields
        .iter()
        .map(|f| {
            let field = vec![
                ("type", Node::Text("string")),
                ("description", Node::Text(f.description)),
            ];
            (f.name, Node::Object(field))
        })
        .collect();
    Node::Object(vec![
        ("type", Node::Text("object")),
        ("properties", Node::Object(properties)),
    ])
}

/// `node` as JSON indented by two spaces a level, as `serde_json::to_string_pretty` writes.
fn write(node: &Node, depth: usize, out: &mut String) {
    match node {
        Node::Text(s) => out.push_str(&quoted(s)),
        Node::Object(entries) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&"  ".repeat(depth + 1));
                out.push_str(&quoted(key));
                out.push_str(": ");
                write(value, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
            out.push('}');
        }
    }
}

/// `s` as a JSON string.
fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}
