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
