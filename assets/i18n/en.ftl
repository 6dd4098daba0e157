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
