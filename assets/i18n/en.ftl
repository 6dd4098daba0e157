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
