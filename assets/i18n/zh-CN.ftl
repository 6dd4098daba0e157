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
