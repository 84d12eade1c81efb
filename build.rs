//! Keeps the linker's relocations in the browser module (`--emit-relocs`): the split build
//! (`scripts/wasm-split.mjs`) needs them to cut the lazily loaded routes out into modules of
//! their own. Only this crate's wasm binary gets them, not the workbook worker or the benches.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
