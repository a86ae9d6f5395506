//! The words of the backend's problems ([`crate::components::problem_text`]) as a split point
//! of their own, `problems`, for the customer list: every code's text in five languages is more
//! than the first load should carry for an answer it rarely gets. Every other page's module calls
//! that component directly, so the texts come with the first of them that is opened (in a chunk
//! this point shares); the customer list fetches them only when its load fails with a problem
//! ([`LoadError`](crate::components::load_error::LoadError)).

use super::chunk::ChunkError;

/// [`problem_texts`]' answer: the function that words a problem in the user's language.
pub type ProblemTexts = fn(leptos_i18n::I18nContext<crate::i18n::Locale>, &contract::Problem) -> String;

split_points! {
    /// The function that words a problem, its module fetched first.
    problems: pub fn problem_texts() -> Result<ProblemTexts, ChunkError> {
        Ok(crate::components::problem_text::problem_text)
    }
}
