//! Prints the text read out of a `.docx`: `cargo run -p nianbao-docx --example extract FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("a .docx path");
    let bytes = std::fs::read(path).expect("readable file");
    match nianbao_docx::read(&bytes) {
        Ok(doc) => print!("{}", doc.text()),
        Err(e) => eprintln!("{e:?}"),
    }
}
