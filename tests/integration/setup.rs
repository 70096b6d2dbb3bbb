//! `.ci/setup` decides what to install by looking for what bindgen really loads: on a tree where only
//! `libclang-cpp.so.14` (the C++ interface library Debian's llvm packages bring) exists, it must ask
//! for libclang-dev; once a `libclang.so.N` exists, it must not.

use std::path::Path;
use std::process::Command;

/// What `.ci/setup --dry-run` would install with library folders under `root`.
fn wanted(root: &Path) -> Vec<String> {
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/setup"))
        .arg("--dry-run")
        .env("ALLOT_SETUP_ROOT", root)
        .env_remove("LIBCLANG_PATH")
        .output()
        .expect("bash runs .ci/setup");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn libclang_cpp_alone_is_not_libclang() {
    let root = tempfile::tempdir().unwrap();
    let lib = root.path().join("usr/lib/llvm-14/lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("libclang-cpp.so.14"), b"").unwrap();
    assert!(wanted(root.path()).contains(&"libclang-dev".to_string()));

    // Debian's libclang1-14 installs the versioned library bindgen loads at run time.
    std::fs::write(lib.join("libclang.so.1"), b"").unwrap();
    assert!(!wanted(root.path()).contains(&"libclang-dev".to_string()));
}

#[test]
fn a_versioned_libclang_in_the_multiarch_folder_counts() {
    let root = tempfile::tempdir().unwrap();
    let lib = root.path().join("usr/lib/x86_64-linux-gnu");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("libclang-14.so.1"), b"").unwrap();
    assert!(!wanted(root.path()).contains(&"libclang-dev".to_string()));
}
