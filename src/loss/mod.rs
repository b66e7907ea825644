//! Loss specs (parse/format) and dispatch to one file per loss family.
