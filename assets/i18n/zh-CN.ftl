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

## tui-panes
tui-settings-title = 设置 — { $edit } 编辑，{ $save } 保存为默认值，{ $close } 关闭
tui-settings-reloading = 正在重新加载模型；对话保留
tui-settings-next-reply = 从下一条回复起生效
tui-settings-nothing-to-save = 没有可保存的内容：本面板中没有修改任何设置
tui-settings-saved = 已将 { $names } 保存为默认值，写入 { $path }
tui-system-prompt-title = 系统提示词 — { $save } 保存，{ $close } 取消
tui-personas-title = 角色 — { $pick } 选择，{ $close } 关闭
tui-sessions-title = 会话 — { $open } 打开，{ $search } 搜索，{ $rename } 重命名，{ $delete } 删除，{ $new } 新建，{ $close } 关闭
tui-sessions-details = { $updated } · { $count } 条消息 · { $model } · { $id }
tui-sessions-no-model = 无模型
tui-sessions-empty = 还没有已保存的会话
tui-sessions-no-match = 没有匹配的会话
tui-sessions-search = 搜索：
tui-sessions-rename = 标题：
tui-sessions-confirm-delete = 删除这个会话？y / n
tui-sessions-matches = “{ $query }”的搜索结果
tui-sessions-count = 共 { $count } 个会话
tui-models-title = 模型 — { $pick } 切换（对话保留），{ $close } 关闭
tui-models-local = 本地 GGUF 文件（{ $dirs }）
tui-models-none = 没有。{ $hint }
tui-models-details = { $arch } · { $params } 参数 · { $quant } · { $size } · 上下文 { $ctx } · 模板：{ $template }
tui-models-template-yes = 有
tui-models-template-none = 无（使用 ChatML）
tui-models-checking = 正在检查…
tui-models-reachable = 可连接，{ $count } 个模型
tui-models-unreachable = 无法连接：{ $error }
tui-models-backend = 后端 { $name }（{ $url }）：{ $state }

## tui-status
tui-status-stopping = 正在停止
tui-status-generating = 正在生成
tui-status-switching = 正在加载 { $name } { $percent }%
tui-status-loading = 正在加载 { $percent }%
tui-status-ready = 就绪
tui-status-error = 出错
tui-status-speed = { $speed } 词元/秒
tui-status-no-model = 无模型
tui-status-remote = 远程 { $backend } │ 上下文 { $used }/不详
tui-status-context = 上下文 { $used }/{ $size }
tui-status-help = F1 帮助

## tui-chat
tui-input-title = 消息
tui-input-title-waiting = 消息（模型就绪后发送）
tui-input-placeholder = 输入消息。Enter 发送，Alt+Enter 或 Ctrl+J 换行，F1 帮助
tui-role-user = 你
tui-role-assistant = 助手
tui-role-system = 系统
tui-chat-error = 错误：{ $error }
tui-chat-stats = { $tokens } 个词元 · { $speed } 词元/秒 · 首个词元 { $ms } 毫秒
tui-chat-continue-hint = （Ctrl+G 继续）
tui-chat-new-session = 新对话

## tui-notices
tui-notice-no-model-requested = 尚未请求任何模型
tui-notice-engine-stopped = 推理引擎意外停止（详见日志文件）
tui-notice-remote-keeps-settings = 模型设置只对本地模型生效；远程服务器沿用它自己的设置
tui-notice-no-model-to-reload = 没有可重新加载的模型
tui-notice-still-streaming = 回复仍在生成中：按 Esc 停止
tui-notice-no-model-loaded = 尚未加载模型：{ $reason }
tui-notice-nothing-to-regenerate = 没有可重新生成的回复
tui-notice-editing-last = 正在编辑上一条消息：按 Enter 重新发送
tui-notice-no-message-to-edit = 没有可编辑的消息
tui-notice-not-cut-off = 上一条回复并未被截断
tui-notice-no-reply-to-copy = 没有可复制的回复
tui-notice-no-code-block = 上一条回复中没有第 { $number } 个代码块
tui-notice-persona = 角色：{ $name }
tui-notice-system-prompt-updated = 系统提示词已更新
tui-notice-session-deleted = 会话已删除
tui-notice-switched-with-note = 已切换到 { $model }；{ $note }
tui-notice-switched = 已切换到 { $model }；对话继续
tui-notice-switch-failed = { $model } 加载失败；仍在使用 { $current }
tui-notice-turns-dropped = 为适应上下文长度，省略了 { $count } 条较早的消息
tui-notice-resaved-after-delete = 已删除会话中的对话已另存为新会话
tui-notice-saved-as-new = 另一个 ggchat 修改了此会话；本对话已另存为新会话
tui-notice-deleted-elsewhere = 此会话已在别处被删除（{ $path }），不再保存；发送一条消息即可将本对话另存为新会话
tui-notice-save-failed = 无法保存会话（{ $error }）；原文件完好无损
tui-notice-backend-not-configured = 此会话使用的是 { $backend }（{ $url }，模型 { $model }），它不是已配置的后端：对话仍使用当前模型，也没有向该服务器发送任何内容；如需使用该服务器，请传入 --backend URL
tui-notice-a-server = 某个服务器
tui-notice-named-backend = 后端“{ $name }”
tui-notice-session-settings-unused = 未使用此会话的设置：{ $error }
tui-notice-model-file-differs = { $path } 与保存此会话时的文件不同（大小或指纹已变化）；回复可能有所不同
tui-notice-current-model-stays = { $reason }；继续使用当前模型
tui-notice-see-below = 此会话的后端未配置；详见下方

## params
# 采样与模型参数的说明（src/params/table.rs），显示在设置面板中。参数名本身是配置键，不翻译。
param-temperature = 0 = 贪心；越高越多样
param-top_k = 只保留最可能的 k 个词元（0 = 关闭）
param-top_p = 保留累计概率达到此值的词元（1 = 关闭）
param-min_p = 丢弃概率低于最佳词元此比例的词元（0 = 关闭）
param-repeat_penalty = 惩罚重复的词元（1 = 关闭）
param-repeat_last_n = 重复惩罚回看的词元数
param-presence_penalty = -2 到 2（0 = 关闭）
param-frequency_penalty = -2 到 2（0 = 关闭）
param-max_tokens = 回复最多的词元数
param-seed = 固定种子可复现回复
param-stop = 停止字符串，用 | 分隔
param-ctx_size = 上下文长度（词元）
param-gpu_layers = 放到 GPU 上的层数
param-threads = CPU 线程数
param-batch_size = 每批处理的提示词元数
param-flash_attention = 融合注意力：auto、on 或 off
param-lora_path = LoRA 适配器 .gguf 文件
param-lora_scale = LoRA 强度
# 设置面板中留空的含义。
param-empty-auto = 自动
param-empty-random = 随机
param-empty-cores = 物理核心数
param-empty-none = 无
param-pane-empty = { $help }，留空 = { $meaning }
param-pane-reloads = { $help }（需重新加载模型）
param-not-a-number = { $name }：“{ $text }”不是有效的数字
param-no-such-setting = 没有这个设置项
param-lora-not-a-file = lora_path：{ $path } 不是文件
# 导出会话中的设置表。
param-export-heading = 设置
param-export-sampling = 采样
param-export-model = 模型设置
param-export-value = 值
param-unset-auto = 自动
param-unset-random = 每条回复随机（各回复的种子列在其下方）
param-unset-none = 无
## keys
keys-help-title = 快捷键 — 按{ $close }关闭
keys-any-key = 任意键
keys-wheel = 滚轮
keys-send = 发送消息
keys-newline = 在消息中换行
keys-history = 输入历史（光标在第一行 / 最后一行时）
keys-cancel = 停止回复；关闭弹窗
keys-regenerate = 重新生成上一条回复
keys-edit-last = 编辑上一条消息并重新发送
keys-continue = 继续被截断的回复
keys-new-conversation = 新建对话
keys-copy-reply = 复制上一条回复
keys-copy-code = 复制上一条回复中的第 N 个代码块
keys-system-prompt = 编辑系统提示词
keys-personas = 选择角色
keys-settings = 设置：采样与模型参数
keys-models = 模型：切换模型，对话保留
keys-sessions = 会话：打开、重命名、删除、搜索已保存的对话
keys-scroll = 滚动对话
keys-top-bottom = 顶部 / 底部（输入框为空时；否则 Ctrl+Home/End）
keys-help = 本帮助（输入框为空时也可按 ?）
keys-interrupt = 停止回复；空闲时退出
keys-quit = 退出
keys-system-prompt-save = 保存系统提示词
keys-close-discard = 关闭且不保存
keys-select = 选择上一行 / 下一行
keys-persona-pick = 使用所选角色
keys-close = 关闭
keys-settings-edit = 编辑所选设置
keys-settings-save = 将改动过的设置保存为默认值
keys-field-confirm = 确认输入
keys-field-cancel = 放弃编辑
keys-models-pick = 切换到所选模型
keys-sessions-open = 打开所选会话
keys-sessions-search = 搜索会话
keys-sessions-rename = 重命名所选会话
keys-sessions-delete = 删除所选会话（会先确认）
keys-sessions-new = 新建会话
keys-confirm-yes = 确认删除（按其他任意键保留）
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
