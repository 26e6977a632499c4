//! What the engine writes for administrators: the deployment kit (policy files, templates).

pub mod adminkit;
