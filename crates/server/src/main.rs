//! `nianbao-server`: not built yet; it will serve the same core over HTTP.

fn main() {
    eprintln!("nianbao-server: not implemented yet / 尚未实现");
    std::process::exit(2);
}
