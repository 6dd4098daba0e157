# ggchat 的简体中文界面。
#
# Project Fluent 语法（https://projectfluent.org/fluent/guide/）：`id = 文本`，占位符写作
# `{ $name }`。必须与 en.ftl 的 id 和占位符一一对应（有测试检查）。

## Languages
lang-name = 简体中文

## Errors shared by every screen
error-with-detail = { $what }：{ $detail }

## ggchat sessions
sessions-none = { $dir } 中没有已保存的会话

## cli-ask
ask-no-prompt = 没有提示词：请作为参数传入（ggchat ask "..."）或从标准输入提供
ask-cannot-read-prompt = 无法从标准输入读取提示词
ask-cannot-catch-sigint = 无法捕获 Ctrl+C：{ $error }
ask-interrupted = 已被 Ctrl+C（SIGINT）中止：上面的回复不完整
ask-incomplete = 回复不完整：{ $reason }
ask-server-failed = 服务器在回复中途出错

## cli-sessions
confirm-no-terminal = { $question }：没有终端可以询问，已拒绝；请加 --yes
confirm-choices = [y/N]
sessions-row = { $id }  { $title }  { $count } 条消息  { $updated }  { $model }
sessions-warning = 警告：{ $problem }
sessions-renamed = 已将 { $id } 重命名为“{ $title }”
sessions-no-match = 没有会话包含“{ $query }”
sessions-delete-question = 删除会话 { $id }“{ $title }”（{ $count } 条消息）？
sessions-deleted = 已删除 { $id }
sessions-kept = 已保留 { $id }
sessions-cannot-write = 无法写入 { $path }

## cli-models
models-none = 没有找到模型；{ $hint }
models-none-in = 在 { $dirs } 中没有找到模型；{ $hint }
models-fetch-hint = 可用 `ggchat pull OWNER/REPO:QUANT` 下载一个（例如 `ggchat pull Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`），或在 ggchat 源码目录运行 `scripts/fetch-model.sh` 获取默认模型（SmolLM2-135M-Instruct，98 MB），或用 --model PATH 指定
models-row = { $name }  { $arch } { $params } { $quant }  { $size }  上下文 { $ctx }  模板：{ $template }
models-template-yes = 有
models-template-none = 无（使用 ChatML）
models-unusable = { $path }  无法使用：{ $error }
models-origin = 来自 { $source } { $repo }（{ $revision }），{ $date } 下载，{ $verified }
models-sha256-verified = sha256 已校验
models-sha256-unpublished = 未公布 sha256
models-not-a-name = “{ $name }”不是模型名：请按 `ggchat models` 列出的文件名指定
models-not-found = 模型目录中没有“{ $name }”；`ggchat models` 可列出所有模型
models-rm-question = 删除模型“{ $name }”（{ $count } 个文件，{ $size }）
models-rm-kept = 已保留“{ $name }”
models-rm-deleted = 已删除 { $path }
models-rm-cannot-delete = 无法删除 { $path }

## cli-pull
pull-runtime-failed = 无法启动下载运行时
pull-already-present = { $name } 已在 { $dir } 中
pull-saved = 已保存 { $name }（{ $count } 个文件）到 { $dir }；开始对话：ggchat --model { $name }
pull-several-models = { $repo } 有多个 GGUF 模型：
pull-which-one = 下载哪一个？[1-{ $count }]
pull-none-chosen = 未选择模型；下次请直接指定：`ggchat pull { $repo }:QUANT` 或 `ggchat pull { $repo }/FILE.gguf`
pull-file-from = { $name }（{ $size }）来自 { $endpoint }
pull-no-sha256 = {"  "}该站点没有公布此文件的 sha256：只检查大小和 GGUF 文件头
pull-resuming = { $name }：从 { $size } 处继续下载
pull-no-resume = { $name }：服务器不支持断点续传，从头开始
pull-progress = { $done } / { $total }（{ $pct }%）  { $rate }/s  剩余 { $left }
pull-downloaded = 已下载 { $size }，用时 { $took }

## personas
persona-bad-file = 角色文件 { $path }：{ $reason }；请修正或删除该文件
persona-bad-id = id { $id } 只能包含字母、数字、“-”和“_”
persona-empty-field = { $field } 为空

## engine-errors
engine-prompt-too-long = 消息太长，超出上下文：提示词需要 { $needed } 个 token，但为回复保留 { $reserved } 个后只能容纳 { $available } 个；请缩短消息或增大上下文长度（--ctx-size）
engine-nothing-to-answer = 没有可回复的用户消息
engine-no-model = 尚未加载模型
engine-model-not-found = 找不到文件：{ $path }；请检查路径，或重新下载模型
engine-not-a-gguf = { $path } 不是 GGUF 模型文件；请选择 .gguf 文件，或重新下载模型
engine-invalid-model = 模型文件无法使用：{ $detail }
engine-adapter-as-model = { $path } 是 LoRA 适配器，不是模型：请先加载模型，再用 --lora（或 lora_path 设置）指定适配器
engine-model-load = llama.cpp 无法加载模型 { $path }：{ $reason }（llama.cpp 的原始信息见日志文件；该文件可能使用了此版本不支持的架构或量化方式）
engine-lora = 无法加载 LoRA 适配器 { $path }：{ $reason }
engine-context-too-big = 无法为 { $path } 创建 { $ctx_size } 个 token 的上下文：{ $reason }（请尝试更小的 --ctx-size）
engine-decode = llama.cpp 处理提示词失败：{ $reason }
engine-remote-context = 对话超出服务器的上下文：{ $detail }
engine-remote = 远程服务器出错：{ $detail }
