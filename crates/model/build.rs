//! Embeds the built-in templates in ready form: each TOML file of `templates/`
//! converted to JSON at build time, which the model deserializes many times faster
//! than TOML when a process first needs its templates (a one-file check pays
//! for it on every run). The TOML files stay the source; the conversion keeps
//! every value (a template has no TOML dates, which JSON could not hold: the
//! build fails on one).

use std::path::Path;

const TEMPLATES: [&str; 4] = [
    "stat-table-2008",
    "stat-table-2008-pingtan",
    "national-2019",
    "national-2021",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in TEMPLATES {
        let source = format!("templates/{name}.toml");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).expect("a built-in template is readable");
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{source} is not valid TOML: {e}"));
        assert_no_dates(&value, &source);
        let json = serde_json::to_string(&value).expect("a TOML value is JSON");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json)
            .expect("OUT_DIR is writable");
    }
    println!("cargo::rerun-if-changed=build.rs");
}

fn assert_no_dates(value: &toml::Value, source: &str) {
    match value {
        toml::Value::Datetime(d) => panic!("{source}: a date ({d}) has no JSON form"),
        toml::Value::Array(items) => items.iter().for_each(|v| assert_no_dates(v, source)),
        toml::Value::Table(table) => table.values().for_each(|v| assert_no_dates(v, source)),
        _ => {}
    }
}
