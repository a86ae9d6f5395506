//! Browser entry point: mounts the app into <body>.

fn main() {
    console_error_panic_hook::set_once();
    reservation_desk::session::route_callback();
    leptos::mount::mount_to_body(reservation_desk::app::App);
}
