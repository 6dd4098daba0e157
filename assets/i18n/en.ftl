# ggchat's user interface in English.
#
# Project Fluent syntax (https://projectfluent.org/fluent/guide/): `id = text`, placeholders are
# `{ $name }`. zh-CN.ftl must have the same ids with the same placeholders (a test checks).
# Ids are grouped by where they are shown; keep each group together in both files.

## Languages
lang-name = English

## Errors shared by every screen
error-with-detail = { $what }: { $detail }

## ggchat sessions
sessions-none = no saved sessions in { $dir }

## tui-panes
tui-settings-title = Settings — Enter edits, Ctrl+S saves as defaults, Esc closes
tui-settings-reloading = reloading the model; the conversation stays
tui-settings-next-reply = applies to the next reply
tui-settings-nothing-to-save = nothing to save: no setting was changed in this pane
tui-settings-saved = saved { $names } as defaults in { $path }
tui-system-prompt-title = System prompt — Ctrl+S saves, Esc cancels
tui-personas-title = Persona — Enter picks, Esc closes
tui-sessions-title = Sessions — Enter opens, / search, r rename, d delete, n new, Esc closes
tui-sessions-details = { $updated } · { $count } messages · { $model } · { $id }
tui-sessions-no-model = no model
tui-sessions-empty = no saved sessions yet
tui-sessions-no-match = no session matches
tui-sessions-search = search:
tui-sessions-rename = title:
tui-sessions-confirm-delete = delete this session? y / n
tui-sessions-matches = matches for “{ $query }”
tui-sessions-count = { $count } sessions
tui-models-title = Models — Enter switches (the conversation stays), Esc closes
tui-models-local = Local GGUF files ({ $dirs })
tui-models-none = none. { $hint }
tui-models-details = { $arch } · { $params } params · { $quant } · { $size } · ctx { $ctx } · template: { $template }
tui-models-template-yes = yes
tui-models-template-none = none (ChatML)
tui-models-checking = checking…
tui-models-reachable = reachable, { $count } models
tui-models-unreachable = unreachable: { $error }
tui-models-backend = Backend { $name } ({ $url }): { $state }

## tui-status
tui-status-stopping = stopping
tui-status-generating = generating
tui-status-switching = loading { $name } { $percent }%
tui-status-loading = loading { $percent }%
tui-status-ready = ready
tui-status-error = error
tui-status-speed = { $speed } tok/s
tui-status-no-model = no model
tui-status-remote = remote { $backend } │ ctx { $used }/n/a
tui-status-context = ctx { $used }/{ $size }
tui-status-help = F1 help

## tui-chat
tui-input-title = Message
tui-input-title-waiting = Message (sent when the model is ready)
tui-input-placeholder = Type a message. Enter sends, Alt+Enter or Ctrl+J adds a line, F1 help
tui-role-user = You
tui-role-assistant = Assistant
tui-role-system = System
tui-chat-error = Error: { $error }
tui-chat-stats = { $tokens } tokens · { $speed } tok/s · first token { $ms } ms
tui-chat-continue-hint = (Ctrl+G continues)
tui-chat-new-session = new chat
