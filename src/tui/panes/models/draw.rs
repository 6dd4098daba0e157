//! Drawing the model picker: the local files and each backend's models, or the models of a repo
//! being pulled, with the download and the mode's prompt underneath.

use super::manage::{self, Mode};
use super::{ModelsPane, Pick, Reach, is_current};
use crate::models::{self, Listed};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::panes::{Context, centered};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};

fn local_item(entry: &Listed, current: bool) -> ListItem<'static> {
    let (path, summary) = entry;
    let marker = if current { "● " } else { "  " };
    match summary {
        Ok(s) => ListItem::new(vec![
            Line::from(vec![
                Span::styled(marker.to_owned(), theme::assistant_header()),
                Span::styled(sanitize(&s.name).into_owned(), theme::user_header()),
            ]),
            Line::from(Span::styled(
                format!(
                    "    {}",
                    crate::tr!(
                        "tui-models-details",
                        arch = sanitize(&s.architecture).into_owned(),
                        params = models::human_count(s.parameter_count),
                        quant = sanitize(&s.quantization).into_owned(),
                        size = models::human_bytes(s.file_size),
                        ctx = s.context_length.map_or("?".into(), |c| c.to_string()),
                        template = if s.chat_template.is_some() {
                            crate::tr!("tui-models-template-yes")
                        } else {
                            crate::tr!("tui-models-template-none")
                        },
                    )
                ),
                theme::dim(),
            )),
        ]),
        Err(e) => ListItem::new(vec![
            Line::from(Span::styled(
                format!("{marker}{}", sanitize(&path.display().to_string())),
                theme::error(),
            )),
            Line::from(Span::styled(
                format!("    {}", sanitize(&e.localized())),
                theme::dim(),
            )),
        ]),
    }
}

fn heading(text: String) -> Line<'static> {
    Line::from(Span::styled(text, theme::dim()))
}

fn local_rows(ctx: &Context, pane: &ModelsPane) -> (Vec<ListItem<'static>>, Option<usize>) {
    // Rows: a heading per group, then its models; only model rows can be selected, so the list
    // state is kept in terms of items that include the headings.
    let mut items: Vec<ListItem> = Vec::new();
    let mut selected_item = None;
    let dirs = models::model_dirs(ctx.paths, ctx.config)
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    items.push(ListItem::new(heading(crate::tr!(
        "tui-models-local",
        dirs = sanitize(&dirs).into_owned()
    ))));
    if pane.entries.is_empty() {
        items.push(ListItem::new(heading(format!(
            "    {}",
            crate::tr!(
                "tui-models-none",
                hint = crate::tr!(
                    "tui-models-pull-hint",
                    pull = ctx.keymap.first_label(Keys::Models, Action::Pull)
                )
            )
        ))));
    }
    let mut pick_index = 0;
    for (i, entry) in pane.entries.iter().enumerate() {
        if pane.selected == pick_index {
            selected_item = Some(items.len());
        }
        items.push(local_item(entry, is_current(ctx, pane, &Pick::Local(i))));
        pick_index += 1;
    }
    for (b, row) in pane.backends.iter().enumerate() {
        let reach = pane.reach(b);
        let state = match &reach {
            Reach::Checking => crate::tr!("tui-models-checking"),
            Reach::Models(m) => crate::tr!("tui-models-reachable", count = m.len().to_string()),
            Reach::Unreachable(e) => crate::tr!("tui-models-unreachable", error = e.as_str()),
        };
        items.push(ListItem::new(heading(
            sanitize(&crate::tr!(
                "tui-models-backend",
                name = row.name.as_str(),
                url = row.config.url.as_str(),
                state = state
            ))
            .into_owned(),
        )));
        if let Reach::Models(models) = reach {
            for model in models {
                let pick = Pick::Remote { backend: b, model };
                if pane.selected == pick_index {
                    selected_item = Some(items.len());
                }
                let marker = if is_current(ctx, pane, &pick) {
                    "● "
                } else {
                    "  "
                };
                let Pick::Remote { model, .. } = pick else {
                    continue;
                };
                items.push(ListItem::new(Line::from(vec![
                    Span::styled(marker.to_owned(), theme::assistant_header()),
                    Span::styled(sanitize(&model).into_owned(), theme::user_header()),
                ])));
                pick_index += 1;
            }
        }
    }
    (items, selected_item)
}

pub(super) fn draw(frame: &mut Frame, area: Rect, ctx: &Context, pane: &ModelsPane) {
    let (items, selected_item, title) = match &pane.mode {
        Mode::Choose {
            spec,
            options,
            selected,
            ..
        } => (
            manage::option_items(options),
            Some(*selected),
            crate::tr!(
                "tui-pull-choose-title",
                repo = sanitize(&spec.repo).into_owned(),
                pick = ctx.keymap.first_label(Keys::Models, Action::Pick),
                close = ctx.keymap.first_label(Keys::Models, Action::Close)
            ),
        ),
        _ => {
            let (items, selected) = local_rows(ctx, pane);
            let title = crate::tr!(
                "tui-models-title",
                pick = ctx.keymap.first_label(Keys::Models, Action::Pick),
                pull = ctx.keymap.first_label(Keys::Models, Action::Pull),
                delete = ctx.keymap.first_label(Keys::Models, Action::Delete),
                close = ctx.keymap.first_label(Keys::Models, Action::Close)
            );
            (items, selected, title)
        }
    };
    let footer = manage::footer_height(&pane.mode, ctx);
    let height = (items.len() as u16 * 2 + 4 + footer).max(6);
    let rect = centered(area, 96, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(format!(" {title} "));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [list_area, footer_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(footer)]).areas(inner);
    let list = List::new(items).highlight_style(theme::selected());
    let mut state = ListState::default().with_selected(selected_item);
    frame.render_stateful_widget(list, list_area, &mut state);
    manage::draw_footer(frame, footer_area, &pane.mode, ctx);
}
