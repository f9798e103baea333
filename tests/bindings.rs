//! The UI's copy of the IPC types must be the one generated from Rust.

use std::path::Path;

use threat_review::desktop::bindings;

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(bindings::PATH);
    let generated = bindings::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).expect("bindings.ts is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `make bindings` and commit the result",
        bindings::PATH
    );
}
