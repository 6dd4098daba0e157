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
