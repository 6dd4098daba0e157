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
tui-settings-title = Settings — { $edit } edits, { $save } saves as defaults, { $close } closes
tui-settings-reloading = reloading the model; the conversation stays
tui-settings-next-reply = applies to the next reply
tui-settings-nothing-to-save = nothing to save: no setting was changed in this pane
tui-settings-saved = saved { $names } as defaults in { $path }
tui-system-prompt-title = System prompt — { $save } saves, { $close } cancels
tui-personas-title = Persona — { $pick } picks, { $close } closes
tui-sessions-title = Sessions — { $open } opens, { $search } search, { $rename } rename, { $delete } delete, { $new } new, { $close } closes
tui-sessions-details = { $updated } · { $count } messages · { $model } · { $id }
tui-sessions-no-model = no model
tui-sessions-empty = no saved sessions yet
tui-sessions-no-match = no session matches
tui-sessions-search = search:
tui-sessions-rename = title:
tui-sessions-confirm-delete = delete this session? y / n
tui-sessions-matches = matches for “{ $query }”
tui-sessions-count = { $count } sessions
tui-models-title = Models — { $pick } switches (the conversation stays), { $close } closes
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

## params
# Help texts of the sampling and model parameters (src/params/table.rs), shown by the settings
# pane and, in English, by --help. The parameter names themselves are config keys and are never
# translated.
param-temperature = 0 = greedy; higher = more varied
param-top_k = keep the k most likely tokens (0 = off)
param-top_p = keep tokens up to this probability mass (1 = off)
param-min_p = drop tokens below this share of the best (0 = off)
param-repeat_penalty = penalise repeated tokens (1 = off)
param-repeat_last_n = tokens the penalties look back over
param-presence_penalty = -2 to 2 (0 = off)
param-frequency_penalty = -2 to 2 (0 = off)
param-max_tokens = longest reply in tokens
param-seed = a number for reproducible replies
param-stop = stop strings, separated by |
param-ctx_size = context size in tokens
param-gpu_layers = layers on the GPU
param-threads = CPU threads
param-batch_size = prompt tokens per batch
param-flash_attention = fused attention: auto, on or off
param-lora_path = LoRA adapter .gguf
param-lora_scale = LoRA strength
# What an empty entry means in the settings pane.
param-empty-auto = auto
param-empty-random = random
param-empty-cores = physical cores
param-empty-none = none
param-pane-empty = { $help }, empty = { $meaning }
param-pane-reloads = { $help } (reloads)
param-not-a-number = { $name }: '{ $text }' is not a valid number
param-no-such-setting = no such setting
param-lora-not-a-file = lora_path: { $path } is not a file
# The settings table of an exported session.
param-export-heading = Settings
param-export-sampling = Sampling
param-export-model = Model setting
param-export-value = Value
param-unset-auto = automatic
param-unset-random = random per reply (each reply's seed is listed under it)
param-unset-none = none
## keys
keys-help-title = Keys — { $close } closes
keys-any-key = any key
keys-wheel = wheel
keys-send = send the message
keys-newline = new line in the message
keys-history = input history (at the first / last line)
keys-cancel = stop the reply; close a popup
keys-regenerate = regenerate the last reply
keys-edit-last = edit the last message and resend
keys-continue = continue a reply that was cut off
keys-new-conversation = new conversation
keys-copy-reply = copy the last reply
keys-copy-code = copy code block N of the last reply
keys-system-prompt = edit the system prompt
keys-personas = pick a persona
keys-settings = settings: sampling and model parameters
keys-models = models: switch model, the conversation stays
keys-sessions = sessions: open, rename, delete, search saved chats
keys-scroll = scroll the conversation
keys-top-bottom = top / bottom (input empty; else Ctrl+Home/End)
keys-help = this help (? when the input is empty)
keys-interrupt = stop the reply, or quit when idle
keys-quit = quit
keys-system-prompt-save = save the system prompt
keys-close-discard = close without saving
keys-select = select the previous / next row
keys-persona-pick = use the selected persona
keys-close = close
keys-settings-edit = edit the selected setting
keys-settings-save = save the changed settings as defaults
keys-field-confirm = accept the text
keys-field-cancel = abandon the edit
keys-models-pick = switch to the selected model
keys-sessions-open = open the selected session
keys-sessions-search = search the sessions
keys-sessions-rename = rename the selected session
keys-sessions-delete = delete the selected session (asks first)
keys-sessions-new = start a new session
keys-confirm-yes = yes, delete it (any other key keeps it)
## cli-ask
ask-no-prompt = no prompt: pass it as an argument (ggchat ask "...") or on standard input
ask-cannot-read-prompt = cannot read the prompt from standard input
ask-cannot-catch-sigint = cannot catch Ctrl+C: { $error }
ask-interrupted = stopped by Ctrl+C (SIGINT): the reply above is cut short
ask-incomplete = the reply is incomplete: { $reason }
ask-server-failed = the server failed mid-reply

## cli-sessions
confirm-no-terminal = { $question }: refusing without a terminal to ask; pass --yes
confirm-choices = [y/N]
sessions-row = { $id }  { $title }  { $count } msgs  { $updated }  { $model }
sessions-warning = warning: { $problem }
sessions-renamed = renamed { $id } to "{ $title }"
sessions-no-match = no session contains "{ $query }"
sessions-delete-question = delete session { $id } "{ $title }" ({ $count ->
        [one] 1 message
       *[other] { $count } messages
    })?
sessions-deleted = deleted { $id }
sessions-kept = kept { $id }
sessions-cannot-write = cannot write { $path }

## cli-models
models-none = no models found; { $hint }
models-none-in = no model found in { $dirs }; { $hint }
models-fetch-hint = get one with `ggchat pull OWNER/REPO:QUANT` (e.g. `ggchat pull Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`), run `scripts/fetch-model.sh` from the ggchat source tree for the default model (SmolLM2-135M-Instruct, 98 MB), or pass --model PATH
models-row = { $name }  { $arch } { $params } { $quant }  { $size }  ctx { $ctx }  template: { $template }
models-template-yes = yes
models-template-none = none (ChatML)
models-unusable = { $path }  unusable: { $error }
models-origin = from { $source } { $repo } ({ $revision }) on { $date }, { $verified }
models-sha256-verified = sha256 verified
models-sha256-unpublished = no published sha256
models-not-a-name = '{ $name }' is not a model name: give a file name as `ggchat models` lists it
models-not-found = no model '{ $name }' in the model folders; `ggchat models` lists them
models-rm-question = delete model '{ $name }' ({ $count ->
        [one] 1 file
       *[other] { $count } files
    }, { $size })
models-rm-kept = kept '{ $name }'
models-rm-deleted = deleted { $path }
models-rm-cannot-delete = cannot delete { $path }

## cli-pull
pull-runtime-failed = cannot start the download runtime
pull-already-present = { $name } is already in { $dir }
pull-saved = saved { $name } ({ $count ->
        [one] 1 file
       *[other] { $count } files
    }) in { $dir }; chat with it: ggchat --model { $name }
pull-several-models = { $repo } has several GGUF models:
pull-which-one = pull which one? [1-{ $count }]
pull-none-chosen = no model chosen; next time name one: `ggchat pull { $repo }:QUANT` or `ggchat pull { $repo }/FILE.gguf`
pull-file-from = { $name } ({ $size }) from { $endpoint }
pull-no-sha256 = {"  "}the hub publishes no sha256 for this file: only its size and GGUF header are checked
pull-resuming = { $name }: resuming at { $size }
pull-no-resume = { $name }: the server does not resume; starting again
pull-progress = { $done } / { $total } ({ $pct }%)  { $rate }/s  { $left } left
pull-downloaded = downloaded { $size } in { $took }

## personas
persona-bad-file = persona file { $path }: { $reason }; fix it or remove it
persona-bad-id = the id { $id } may hold only letters, digits, '-' and '_'
persona-empty-field = { $field } is empty

## engine-errors
engine-prompt-too-long = the message is too long for the context: the prompt needs { $needed } tokens but only { $available } fit after keeping { $reserved } for the reply; shorten the message or raise the context size (--ctx-size)
engine-nothing-to-answer = there is no user message to reply to
engine-no-model = no model is loaded
engine-model-not-found = file not found: { $path }; check the path, or re-download the model
engine-not-a-gguf = { $path } is not a GGUF model file; choose a .gguf file, or re-download the model
engine-invalid-model = the model file cannot be used: { $detail }
engine-adapter-as-model = { $path } is a LoRA adapter, not a model: load a model and pass the adapter with --lora (or the lora_path setting)
engine-model-load = llama.cpp could not load the model { $path }: { $reason } (see the log file for llama.cpp's own message; the file may use an architecture or quantization this build does not support)
engine-lora = cannot load the LoRA adapter { $path }: { $reason }
engine-context-too-big = cannot create a context of { $ctx_size } tokens for { $path }: { $reason } (try a smaller --ctx-size)
engine-decode = llama.cpp failed to evaluate the prompt: { $reason }
engine-remote-context = the conversation does not fit the server's context: { $detail }
engine-remote = the remote server failed: { $detail }
