//! The `nianbao` command line.

fn main() {
    println!("nianbao");
}
