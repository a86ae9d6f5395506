//! The smallest Leptos page worth measuring: the performance report compares the app's
//! load time and size with this, built with the same release profile in the same run.
use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        let (count, set_count) = signal(0);
        view! {
            <h1>"Counter"</h1>
            <button on:click=move |_| set_count.update(|n| *n += 1)>{count}</button>
        }
    });
}
