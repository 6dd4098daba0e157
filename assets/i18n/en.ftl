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

## tui-notices
tui-notice-no-model-requested = no model requested
tui-notice-engine-stopped = the engine stopped unexpectedly (see the log file)
tui-notice-remote-keeps-settings = model settings apply to local models; the remote server keeps its own
tui-notice-no-model-to-reload = no model to reload
tui-notice-still-streaming = a reply is still streaming: Esc stops it
tui-notice-no-model-loaded = no model is loaded: { $reason }
tui-notice-nothing-to-regenerate = nothing to regenerate
tui-notice-editing-last = editing the last message: Enter resends it
tui-notice-no-message-to-edit = no message to edit
tui-notice-not-cut-off = the last reply was not cut off
tui-notice-no-reply-to-copy = no reply to copy
tui-notice-no-code-block = the last reply has no code block { $number }
tui-notice-persona = persona: { $name }
tui-notice-system-prompt-updated = system prompt updated
tui-notice-session-deleted = session deleted
tui-notice-switched-with-note = now on { $model }; { $note }
tui-notice-switched = now on { $model }; the conversation continues
tui-notice-switch-failed = { $model } did not load; still on { $current }
tui-notice-turns-dropped = { $count } old messages left out to fit the context
tui-notice-resaved-after-delete = the deleted session's chat was saved as a new session
tui-notice-saved-as-new = another ggchat changed this session; this chat was saved as a new one
tui-notice-deleted-elsewhere = this session was deleted elsewhere ({ $path }) and is no longer saved; send a message to save this chat as a new session
tui-notice-save-failed = could not save the session ({ $error }); the previous file is intact
tui-notice-backend-not-configured = this session used { $backend } ({ $url }, model { $model }), which is not a configured backend: the chat stays on the current model, and nothing was sent there; pass --backend URL to use that server
tui-notice-a-server = a server
tui-notice-named-backend = backend '{ $name }'
tui-notice-session-settings-unused = the session's settings were not used: { $error }
tui-notice-model-file-differs = { $path } differs from the file this session was saved with (size or fingerprint changed); replies may differ
tui-notice-current-model-stays = { $reason }; the current model stays
tui-notice-see-below = the session's backend is not configured; see below
