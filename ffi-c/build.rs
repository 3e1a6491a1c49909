//! Build script of libconversations: gives the shared library its SONAME on Linux.
//!
//! `libconversations.so` is linked with `-soname libconversations.so.<major>`, so programs
//! record `libconversations.so.<major>` as what they need and a later release with the same
//! major version replaces the file under them. Installs (`make install`, the release tarballs
//! of `make dist`) ship `libconversations.so.<version>` with the symlinks `.so.<major>` and `.so`.
//!
//! Programs linked straight against cargo's output directory (the C tests, the benchmarks) then
//! look for `libconversations.so.<major>` there, so this script also puts the symlink
//! `libconversations.so.<major> -> libconversations.so` beside the artifact.
use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    let soname = format!("libconversations.so.{major}");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    link_beside_artifact(&soname);
}

/// OUT_DIR is `<target-dir>[/<triple>]/<profile>/build/sunco-ffi-<hash>/out`: the artifact's
/// directory is three levels up. The link is relative, so it may exist before the library does.
#[cfg(unix)]
fn link_beside_artifact(soname: &str) {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let Some(dir) = out.ancestors().nth(3) else {
        return;
    };
    let link = dir.join(soname);
    if std::fs::read_link(&link).is_ok_and(|to| to == std::path::Path::new("libconversations.so")) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    if let Err(e) = std::os::unix::fs::symlink("libconversations.so", &link) {
        println!("cargo:warning=could not link {}: {e}", link.display());
    }
}

#[cfg(not(unix))]
fn link_beside_artifact(_soname: &str) {}
