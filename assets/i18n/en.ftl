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
tui-sessions-branches = { " · " }{ $count } branches
tui-sessions-no-model = no model
tui-sessions-empty = no saved sessions yet
tui-sessions-no-match = no session matches
tui-sessions-search = search:
tui-sessions-rename = title:
tui-sessions-confirm-delete = delete this session? y / n
tui-sessions-matches = matches for “{ $query }”
tui-sessions-count = { $count } sessions
tui-models-title = Models — { $pick } switches (the conversation stays), { $pull } pulls from a hub, { $delete } deletes, { $close } closes
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
tui-chat-speculation = { $accepted }/{ $drafted } guesses kept ({ $pct }%)
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
tui-alternative-label = reply { $index }/{ $count }
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
param-thinking = reasoning on or off where the template can (auto, on or off)
param-thinking_budget = reasoning tokens before the end tag is put in
param-alternatives = replies Alt+R makes at once (regenerate ×N)
param-stop = stop strings, separated by |
param-speculation = guess tokens to decode several per step: off, lookup (from the conversation) or draft (a draft model)
param-draft_max = tokens guessed per step
param-lookup_ngram = longest n-gram prompt lookup matches
param-ctx_size = context size in tokens
param-gpu_layers = layers on the GPU
param-threads = CPU threads
param-batch_size = prompt tokens per batch
param-flash_attention = fused attention: auto, on or off
param-lora_path = LoRA adapter .gguf
param-lora_scale = LoRA strength
param-draft_model = smaller .gguf with the same vocabulary that guesses tokens (speculation = draft)
# What an empty entry means in the settings pane.
param-empty-auto = auto
param-empty-random = random
param-empty-cores = physical cores
param-empty-none = none
param-empty-adaptive = adaptive
param-pane-empty = { $help }, empty = { $meaning }
param-pane-reloads = { $help } (reloads)
param-not-a-number = { $name }: '{ $text }' is not a valid number
param-no-such-setting = no such setting
param-lora-not-a-file = lora_path: { $path } is not a file
param-draft-not-a-file = draft_model: { $path } is not a file
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
keys-cancel = stop the reply; clear the selection; close a popup
keys-regenerate = regenerate the last reply
keys-regenerate-many = regenerate as N alternatives at once (default 3)
keys-edit-last = edit the last message and resend
keys-continue = continue a reply that was cut off
keys-new-conversation = new conversation
keys-copy-reply = copy the last reply
keys-copy-code = copy code block N of the last reply
keys-system-prompt = edit the system prompt
keys-personas = pick a persona
keys-settings = settings: sampling and model parameters
keys-models = models: switch, pull or delete; the chat stays
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
sessions-imported = imported { $id } "{ $title }" ({ $branches ->
    [one] 1 branch
   *[other] { $branches } branches
})
sessions-renamed = renamed { $id } to "{ $title }"
sessions-no-match = no session contains "{ $query }"
sessions-delete-question = delete session { $id } "{ $title }" ({ $count ->
        [one] 1 message
       *[other] { $count } messages
    })?
sessions-deleted = deleted { $id }
sessions-kept = kept { $id }
sessions-cannot-write = cannot write { $path }
sessions-pruned = KV snapshots in { $dir }: removed { $removed } ({ $freed } MiB), kept { $kept } ({ $size } MiB of { $cap } MiB)
sessions-cannot-prune = cannot prune the KV snapshots in { $dir }

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
pull-already-present = { $name } is already in { $dir } (the same file as the hub's; nothing was downloaded)
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
engine-thinking-no-switch = this model's chat template has no thinking switch (such as enable_thinking): thinking = off has no effect
engine-prompt-too-long = the message is too long for the context: the prompt needs { $needed } tokens but only { $available } fit after keeping { $reserved } for the reply; shorten the message or raise the context size (--ctx-size)
engine-nothing-to-answer = there is no user message to reply to
engine-no-model = no model is loaded
engine-model-not-found = file not found: { $path }; check the path, or re-download the model
engine-not-a-gguf = { $path } is not a GGUF model file; choose a .gguf file, or re-download the model
engine-invalid-model = the model file cannot be used: { $detail }
engine-adapter-as-model = { $path } is a LoRA adapter, not a model: load a model and pass the adapter with --lora (or the lora_path setting)
engine-model-load = llama.cpp could not load the model { $path }: { $reason } (see the log file for llama.cpp's own message; the file may use an architecture or quantization this build does not support)
engine-lora = cannot load the LoRA adapter { $path }: { $reason }
engine-draft-model = cannot use { $draft } as a draft model for { $model }: { $reason }
engine-context-too-big = cannot create a context of { $ctx_size } tokens for { $path }: { $reason } (try a smaller --ctx-size)
engine-decode = llama.cpp failed to evaluate the prompt: { $reason }
engine-remote-context = the conversation does not fit the server's context: { $detail }
engine-remote = the remote server failed: { $detail }

## stop-reasons
stop-end-of-generation = end of reply
stop-stop-string = stop string
stop-max-tokens = max tokens
stop-context-full = context full
stop-cancelled = cancelled
stop-interrupted = cut off (server error)

## clipboard
clipboard-copied-with = copied with { $tool } and OSC 52
clipboard-copied-osc52 = copied (OSC 52)
clipboard-refused = could not copy: the terminal refused the OSC 52 sequence

## errors-store
store-create-dir = cannot create the sessions directory { $path }: { $reason }; make its parent writable or set GGCHAT_DATA_DIR to another directory
store-read = cannot read { $path }: { $reason }; check that the file is readable by your user
store-write = cannot save { $path }: { $reason }; the previous version is unchanged — free some disk space or make the directory writable, then try again
store-encode = cannot save { $path }: { $reason }; please report this as a bug
store-delete = cannot delete { $path }: { $reason }; check the directory's permissions
store-corrupt = { $path } is not a valid session file: { $reason }; it was left untouched — fix it or move it out of the sessions directory
store-future-version = { $path } was written by a newer ggchat (format { $version }); upgrade ggchat — the file was left untouched
store-conflict = { $path } was saved by another ggchat meanwhile (revision { $on_disk }, this copy is based on { $ours }); it was left untouched — save this conversation as a new session instead
store-deleted = { $path } was deleted since this chat opened it; it was not written back
store-too-large = cannot save { $path }: the session would be { $size }, more than the { $limit } ggchat reads back; the previous version is unchanged — start a new chat to go on
store-lock = cannot lock { $path }: { $reason }; check the sessions directory's permissions
store-lock-timeout = cannot lock { $path }: another ggchat has been saving this session for over { $secs } s; try again, or close the other ggchat
store-not-found = no session matches "{ $query }"; list the sessions to see their ids and titles
store-ambiguous = "{ $query }" matches several sessions: { $candidates }; give more of the id
store-invalid-id = "{ $id }" is not a session id (ids look like 20261128-114233-3f9a)

## errors-params
param-out-of-range = { $name } = { $value } is out of range: { $expected }
param-range-temperature = 0 to 5 (0 = greedy)
param-range-top_k = 0 to 100000 (0 = off)
param-range-top_p = above 0 and at most 1 (1 = off)
param-range-min_p = 0 to 1 (0 = off)
param-range-repeat_penalty = 0.1 to 5 (1 = off)
param-range-repeat_last_n = 0 to 65536
param-range-presence_penalty = -2 to 2 (0 = off)
param-range-frequency_penalty = -2 to 2 (0 = off)
param-range-max_tokens = 1 to 1000000
param-range-stop = non-empty strings
param-range-speculation = off, lookup or draft
param-range-draft_max = 1 to 512
param-range-lookup_ngram = 1 to 512
param-range-ctx_size = 256 to 1048576 tokens
param-range-gpu_layers = 0 to 10000
param-range-threads = 1 to 1024
param-range-batch_size = 16 to 65536
param-range-flash_attention = auto, on or off
param-range-thinking = auto, on or off
param-range-thinking_budget = 0 to 1000000 tokens
param-range-alternatives = 2 to 4
param-range-lora_scale = -10 to 10

## errors-config
config-read = cannot read the config file { $path }: { $reason }
config-save = cannot save the settings to the config file { $path }: { $reason }
config-invalid = invalid config file { $path }, line { $line }, column { $column }: { $problem }
config-invalid-key = invalid config file { $path }, line { $line }, column { $column }, key `{ $key }`: { $problem }
config-backend-name = backend name "{ $name }" may only hold letters, digits, - and _
config-language = unknown language "{ $value }": use "en" (English) or "zh-CN" (Simplified Chinese)

## errors-gguf
gguf-redownload = the file is truncated or corrupt; re-download the model
gguf-not-found = file not found: { $path }; check the path, or re-download the model
gguf-permission-denied = permission denied: { $path }; make the file readable by your user (chmod u+r)
gguf-is-directory = is a directory, not a GGUF file: { $path }; choose the .gguf file inside it
gguf-not-regular = not a regular file (device, FIFO or socket): { $path }; choose a .gguf file
gguf-io = I/O error while reading { $path }: { $reason }
gguf-empty = file is empty (0 bytes): { $path }; the download probably failed, re-download the model
gguf-bad-magic = not a GGUF file (bad magic { $found }, expected 0x47475546 "GGUF"): { $path }; { $hint }
gguf-hint-html = it looks like an HTML/XML page (an error page saved instead of the model?); re-download the model
gguf-hint-lfs = it looks like a Git LFS pointer, not the model itself; run `git lfs pull` or download the file directly
gguf-hint-json = it looks like a JSON file, not a model; choose the .gguf file
gguf-hint-zip = it looks like a ZIP archive (PyTorch checkpoint?); download a GGUF conversion of the model
gguf-hint-ggml = this is a legacy GGML/GGJT model; download a GGUF version of the model
gguf-hint-not-gguf = ggchat can only load GGUF (.gguf) models; re-download the model or choose another file
gguf-unsupported-version = unsupported GGUF version { $version } (ggchat reads versions 2 and 3): { $path }; { $hint }
gguf-hint-version-0 = the file is corrupt; re-download the model
gguf-hint-version-1 = GGUF version 1 is obsolete; download a recent conversion of the model
gguf-hint-big-endian = this is a big-endian GGUF file; download the little-endian version of the model
gguf-hint-newer = the file needs a newer ggchat, or it is corrupt
gguf-truncated = truncated: { $what } but the file ends at byte { $file_size }: { $path }; the download is incomplete, re-download the model
gguf-count-too-large = { $what } cannot fit in a file of { $file_size } bytes: { $path }; { gguf-redownload }
gguf-invalid-utf8 = invalid UTF-8 in { $what } at byte { $offset }: { $path }; { gguf-redownload }
gguf-name-too-long = { $what } at byte { $offset } is { $len } bytes long (at most { $max } allowed): { $path }; { gguf-redownload }
gguf-empty-key = metadata key { $index } is empty (at byte { $offset }): { $path }; { gguf-redownload }
gguf-bad-value-type = metadata key '{ $key }' has invalid value type { $value_type } (valid: 0-12): { $path }; { gguf-redownload }
gguf-nesting-too-deep = metadata key '{ $key }' nests arrays deeper than { $max } levels: { $path }; { gguf-redownload }
gguf-duplicate-key = duplicate metadata key '{ $key }': { $path }; { gguf-redownload }
gguf-wrong-key-type = metadata key '{ $key }' has type { $found }, expected { $expected }: { $path }; { gguf-redownload }
gguf-bad-alignment = invalid general.alignment { $alignment } (must be a nonzero power of two): { $path }; { gguf-redownload }
gguf-duplicate-tensor = duplicate tensor name '{ $name }': { $path }; { gguf-redownload }
gguf-too-many-dims = tensor '{ $name }' has { $n_dims } dimensions (at most 4 supported): { $path }; { gguf-redownload }
gguf-unknown-tensor-type = tensor '{ $name }' has unknown ggml type { $ggml_type }: { $path }; the model needs a newer llama.cpp, or the file is corrupt
gguf-shape-overflow = tensor '{ $name }' shape { $dims } is too large (element or byte count overflows): { $path }; { gguf-redownload }
gguf-bad-row-size = tensor '{ $name }' row length { $row } is not a multiple of the { $type_name } block size { $block_size }: { $path }; { gguf-redownload }
gguf-unaligned-offset = tensor '{ $name }' data offset { $offset } is not a multiple of the alignment { $alignment }: { $path }; { gguf-redownload }
gguf-tensor-past-eof = tensor '{ $name }' data (offset { $offset }, size { $size }) runs past the end of the file (size { $file_size }): { $path }; { gguf-redownload }
gguf-missing-split = split model part { $index } of { $count } is missing: { $path }; download all parts into the same folder
gguf-bad-split = invalid split model: { $detail }: { $path }; re-download all parts of the model

## errors-remote
remote-label = backend '{ $name }' ({ $url })
remote-connect = cannot connect to { $label }: { $detail }
remote-connect-timeout = no connection within { $secs } s (connect_timeout); is the host up and the port open?
remote-connect-refused = connection refused: no server listens there; start it, or check the host and port
remote-connect-dns = the host name does not resolve (DNS); check the spelling of the URL
remote-connect-tls = TLS failed ({ $reason }); check that the URL's scheme (http or https) matches the server and that its certificate is valid
remote-auth = { $label } refused the request (HTTP { $status }: { $detail }): { $hint }
remote-auth-key-rejected = the key in ${ $var } was not accepted; set { $var } to a valid key
remote-auth-key-unset = no key was sent: set the environment variable { $var } to the server's key
remote-auth-no-key-env = no key was sent: set `api_key_env` in the backend's table (or pass --api-key-env VAR) to the name of a variable holding the key
remote-unknown-model = { $label } has no model '{ $model }'; it offers: { $offered }. Pick one with --model (or `model` in the backend's table)
remote-context = { $label }: the conversation does not fit the server's context: shorten the last message, start a new conversation, or start the server with a larger context (llama-server -c N)
remote-context-size = { $label }: the conversation does not fit the server's context (the context holds { $n_ctx } tokens): shorten the last message, start a new conversation, or start the server with a larger context (llama-server -c N)
remote-context-counts = { $label }: the conversation does not fit the server's context ({ $prompt_tokens } prompt tokens, the context holds { $n_ctx }): shorten the last message, start a new conversation, or start the server with a larger context (llama-server -c N)
remote-busy = { $label } is busy (HTTP { $status }: { $detail }); try again later
remote-busy-retry = { $label } is busy (HTTP { $status }: { $detail }); it asks to retry after { $after } s; try again later
remote-http = { $label } failed (HTTP { $status }: { $detail })
remote-malformed = { $label } sent a malformed stream chunk ({ $reason }): { $sample }
remote-in-stream = { $label } reported an error mid-reply: { $detail }
remote-gone = { $label } closed the connection mid-reply ({ $detail }); the partial reply is kept and can be continued
remote-timeout = { $label } { $what } for { $secs } s ({ $key } = { $secs } in the backend's table); is the server overloaded or stuck?
remote-timeout-first-token = { $label } sent no token for { $secs } s ({ $key } = { $secs } in the backend's table); is the server overloaded or stuck?
remote-timeout-idle = { $label } went silent mid-reply for { $secs } s ({ $key } = { $secs } in the backend's table); is the server overloaded or stuck?
remote-timeout-model-list = { $label } stopped sending the model list for { $secs } s ({ $key } = { $secs } in the backend's table); is the server overloaded or stuck?

## errors-pull
pull-err-invalid-spec = invalid model name '{ $spec }': expected OWNER/REPO, OWNER/REPO:QUANT (e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M) or OWNER/REPO/FILE.gguf
pull-err-unreachable = { $source_name } is unreachable at { $endpoint } ({ $reason }); check the network, or set { $setting } to a reachable mirror
pull-err-repo-not-found = repository '{ $repo }' not found on { $source_name }{ $hint }
pull-hint-hf-not-found = {" "}(check the name and revision; for a private or gated repo, set HF_TOKEN)
pull-hint-ms-not-found = {" "}(check the name; ModelScope names are OWNER/REPO)
pull-err-no-gguf = repository '{ $repo }' has no .gguf file (it has: { $files }); pick a repo that publishes GGUF files, often named ...-GGUF
pull-err-file-not-found = '{ $wanted }' is not in repository '{ $repo }'; its GGUF files are:
    { $choices }
pull-err-ambiguous = repository '{ $repo }' has several GGUF models; pick one with `ggchat pull { $repo }:QUANT` or `ggchat pull { $repo }/FILE.gguf`:
    { $choices }
pull-err-incomplete-split = split model '{ $file }' is incomplete in the repository: part { $index } of { $count } is missing
pull-err-http = { $url } answered HTTP { $status }{ $hint }
pull-hint-http-404 = : the file is not in the repository (any more?)
pull-hint-http-auth = : a gated or private repo needs HF_TOKEN (accept its terms on the hub first)
pull-hint-http-416 = : the partial file does not match the server's; delete the .part file and try again
pull-err-html = { $url } answered a web page (HTML) instead of the model file (a login page, a gated repo or a misconfigured mirror?); nothing was kept
pull-err-bad-listing = the answer of { $url } is not valid JSON of the expected shape: { $reason }
pull-err-interrupted = download of { $file } stopped after { $done } of { $total } bytes ({ $reason }); the partial file { $part } is kept: run the same command again to resume
pull-err-disk-full = disk full while writing { $path }: free some space in { $dir } and run the same command again to resume (or delete { $path })
pull-err-write = cannot write { $path }: { $reason }
pull-err-checksum = checksum mismatch for { $file }: the hub publishes sha256 { $expected }, the download has { $actual }; the file was deleted, nothing was kept
pull-err-size = { $file } has { $actual } bytes but the hub lists { $expected }; the file was deleted, nothing was kept
pull-err-exists = { $path } already exists and is not the hub's file (its size or sha256 differs); nothing was downloaded and it was left as it is: delete or move it, then pull again
pull-err-not-gguf = { $file } is not a usable GGUF model ({ $reason }); the file was deleted, nothing was kept

## errors-store-problems
store-problem = { $path }: { $reason }; left untouched
store-problem-future = written by a newer ggchat (format { $version }); upgrade ggchat
store-problem-read = cannot read it: { $reason }
store-problem-list-dir = cannot list the sessions directory: { $reason }

## tui-models-pull (the model picker's pull and delete)
keys-models-pull = download a model from Hugging Face or ModelScope
keys-models-delete = delete the selected model file(s) (asks first)
keys-models-cancel-pull = stop the download (its .part file stays for a resume)
tui-pull-prompt = Repo to pull: OWNER/REPO[:QUANT] (modelscope:OWNER/REPO for ModelScope); { $confirm } lists it
tui-pull-listing = listing the GGUF files of { $repo } on { $source }… ({ $close } goes back)
tui-pull-choose-title = Models in { $repo } — { $pick } downloads, { $close } goes back
tui-pull-parts = , { $count } parts
tui-pull-progress = ⇣ { $name } — { $cancel } cancels (the .part file stays)
tui-pull-waiting = connecting…
tui-pull-started = downloading { $name } in the background; the chat goes on
tui-pull-busy = { $name } is still downloading: wait for it, or cancel it in the model picker first
tui-pull-nothing-to-cancel = no download to cancel
tui-pull-cancelled = download of { $name } cancelled; its .part file stays in { $dir }: pull it again to resume
tui-pull-done = { $name } downloaded into { $dir }; pick it in the model picker
tui-pull-already-present = { $name } is already in { $dir } (the same file as the hub's; nothing was downloaded)
tui-status-pull = ⇣ { $name } { $pct }% · { $rate }/s · { $left } left
tui-status-pull-starting = ⇣ { $name } connecting…
tui-models-confirm-delete = delete { $name } ({ $count ->
    [one] 1 file
   *[other] { $count } files
}, { $size })? { $yes } deletes, any other key keeps it
tui-models-delete-kept = kept { $name }
tui-models-deleted = deleted { $name } ({ $count ->
    [one] 1 file
   *[other] { $count } files
})
tui-models-delete-loaded = { $name } is the model in use: switch to another model before deleting it
tui-models-delete-remote = a server's model cannot be deleted from here: only local files can
tui-models-pull-hint = { $pull } pulls one from Hugging Face or ModelScope (or `ggchat pull OWNER/REPO:QUANT` in a shell)
## guard
stop-content-filter = stopped by the content filter
guard-mark = ⚑ { $category } ({ $action })
guard-action-warn = flagged
guard-action-redact = masked
guard-action-block = blocked
tui-guard-input-blocked = message not sent: the content filter blocked it ({ $category })
ask-guard-input-blocked = the prompt was not sent: the content filter blocked it (category: { $category })
ask-guard-output-blocked = the reply was stopped by the content filter (category: { $category })
ask-guard-marked = content filter: { $category } ({ $action })
guard-err-read = cannot read the guard rule file { $path }: { $reason }
guard-err-rule = guard rule file { $path }, line { $line }: { $message }
guard-err-build = the guard rules of { $files } cannot be compiled: { $message }
guard-check-timeout = guard model check timed out after { $ms } ms; not checked
guard-check-failed = guard model check failed ({ $error }); not checked
## thinking
tui-thinking-title = Thinking
tui-thinking-folded = Thinking · { $tokens } tokens · { $seconds }s
tui-thinking-folded-chars = Thinking · { $chars } characters
tui-status-thinking = thinking { $thinking } · answer { $answer } tok
keys-toggle-thinking = fold or unfold the replies' thinking

## monitor (the monitor pane, F5)
keys-monitor = the monitor: speed, memory, CPU, the model, totals
monitor-title = Monitor — { $close } closes
monitor-na = n/a
monitor-no-replies = no reply yet
monitor-label-speed = Generation
monitor-label-ttft = First token
monitor-label-context = Context
monitor-label-prompt = Prompt
monitor-label-memory = Memory
monitor-label-process = Process
monitor-label-model = Model
monitor-label-totals = This session
monitor-speed = { $last } tok/s (mean { $mean } over { $count ->
    [one] 1 reply
   *[other] { $count } replies
})
monitor-ttft = { $last } ms (mean { $mean } ms)
monitor-context = { $used } of { $size } tokens ({ $pct }%) · { $cells } KV cells
monitor-memory = { $rss } resident, peak { $peak }
monitor-memory-unavailable = not available on this system
monitor-process = { $threads } threads, CPU { $cpu } of { $cores } cores
monitor-totals = { $replies ->
    [one] 1 reply
   *[other] { $replies } replies
} · { $tokens_in } tokens in, { $tokens_out } out · { $seconds } s generating
monitor-label-layers = Layers
monitor-label-guard = Guard
monitor-guard = { $session } this session, { $total } since start
monitor-label-none = {""}
monitor-label-speculation = Guesses
monitor-speculation = last reply: { $accepted } of { $drafted } kept ({ $pct }%)
monitor-prompt-last = last reply: { $reused } reused, { $evaluated } evaluated
monitor-prompt-total = in total: { $reused } reused, { $evaluated } evaluated
monitor-model = { $name }, loaded in { $load } ms
monitor-layers = { $offload } · { $threads } threads
monitor-layers-remote = on the server (n/a)
## the conversation tree in the chat (src/tui/app/branches.rs)
keys-select-message = select a message (Enter on yours edits it)
keys-sibling = previous / next alternative of a message
keys-delete-branch = delete the selected message's branch (asks)
tui-input-title-editing = Editing an earlier message: sending it starts a new branch (Esc cancels)
tui-chat-selected-hint = selected
tui-notice-no-message-to-select = no message to select yet
tui-notice-edit-abandoned = edit abandoned: the conversation is unchanged
tui-notice-select-a-user-message = only your own messages can be edited: select one of them
tui-notice-editing-earlier = editing an earlier message: sending it starts a new branch there (the old one stays)
tui-notice-no-alternatives = this message has no alternatives
tui-notice-alternative = alternative { $position } of { $count }
tui-notice-select-to-delete = select a message first: it and what follows it in its branch are deleted
tui-notice-delete-whole-chat = that is the whole conversation: delete the session in the sessions pane instead
tui-notice-confirm-delete-branch = delete this message and what follows it in this branch ({ $count ->
    [one] 1 message
   *[other] { $count } messages
})? { $yes } deletes, any other key keeps it
tui-notice-branch-kept = nothing deleted
tui-notice-branch-deleted = deleted { $count ->
    [one] 1 message
   *[other] { $count } messages
}
