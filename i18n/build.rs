//! The Fluent files are embedded at compile time by a macro that cannot tell Cargo about them:
//! without this, a new or edited `.ftl` file would not rebuild the crate.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
