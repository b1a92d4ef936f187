//! The diagnostics of a render that failed: a template error, or a file that could not be
//! written.

use std::io;

use super::page::Page;
use super::theme;
use crate::diagnostics::{code, Diagnostic, Span};
use crate::model::Manual;

pub(super) fn template_failure(page: &Page, m: &Manual, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        code::TEMPLATE,
        Span::file(format!("templates/{}", page.template(m))),
        format!(
            "rendering {} failed: {}",
            page.path(m),
            theme::error_chain(e)
        ),
    )
}

pub(super) fn extra_failure(path: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        code::TEMPLATE,
        Span::file(format!("templates/{path}")),
        format!("rendering {path} failed: {}", theme::error_chain(e)),
    )
}

pub(super) fn io_failure(path: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        code::IO_ERROR,
        Span::file(path),
        format!("cannot write {path}: {e}"),
    )
}
