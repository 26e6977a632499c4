//! What the engine writes for administrators: the deployment kit (policy files, templates) and
//! the extension's managed-storage schema.

pub mod adminkit;
pub mod schema;
