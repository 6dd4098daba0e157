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
tui-sessions-branches = { " · " }{ $count } 个分支
tui-sessions-no-model = 无模型
tui-sessions-empty = 还没有已保存的会话
tui-sessions-no-match = 没有匹配的会话
tui-sessions-search = 搜索：
tui-sessions-rename = 标题：
tui-sessions-confirm-delete = 删除这个会话？y / n
tui-sessions-matches = “{ $query }”的搜索结果
tui-sessions-count = 共 { $count } 个会话
tui-models-title = 模型 — { $pick } 切换（对话保留），{ $pull } 从模型站下载，{ $delete } 删除，{ $close } 关闭
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
tui-chat-speculation = 猜测保留 { $accepted }/{ $drafted }（{ $pct }%）
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
tui-alternative-label = 回复 { $index }/{ $count }
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
param-speculation = 猜测后续词元以便每步解码多个：off、lookup（取自对话）或 draft（草稿模型）
param-draft_max = 每步猜测的词元数
param-lookup_ngram = 提示查找匹配的最长 n-gram
param-thinking = 模板支持时开关推理（auto、on 或 off）
param-thinking_budget = 推理多少 token 后插入结束标记
param-alternatives = Alt+R 一次生成的回复数（重新生成 ×N）
param-stop = 停止字符串，用 | 分隔
param-ctx_size = 上下文长度（词元）
param-gpu_layers = 放到 GPU 上的层数
param-threads = CPU 线程数
param-batch_size = 每批处理的提示词元数
param-flash_attention = 融合注意力：auto、on 或 off
param-lora_path = LoRA 适配器 .gguf 文件
param-lora_scale = LoRA 强度
param-draft_model = 词表相同的较小 .gguf，用于 speculation = draft
# 设置面板中留空的含义。
param-empty-auto = 自动
param-empty-random = 随机
param-empty-cores = 物理核心数
param-empty-adaptive = 自适应
param-empty-none = 无
param-pane-empty = { $help }，留空 = { $meaning }
param-pane-reloads = { $help }（需重新加载模型）
param-not-a-number = { $name }：“{ $text }”不是有效的数字
param-no-such-setting = 没有这个设置项
param-lora-not-a-file = lora_path：{ $path } 不是文件
param-draft-not-a-file = draft_model：{ $path } 不是文件
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
keys-cancel = 停止回复；取消选择；关闭弹窗
keys-regenerate = 重新生成上一条回复
keys-regenerate-many = 一次重新生成 N 个候选回复（默认 3）
keys-edit-last = 编辑上一条消息并重新发送
keys-continue = 继续被截断的回复
keys-new-conversation = 新建对话
keys-copy-reply = 复制上一条回复
keys-copy-code = 复制上一条回复中的第 N 个代码块
keys-system-prompt = 编辑系统提示词
keys-personas = 选择角色
keys-settings = 设置：采样与模型参数
keys-models = 模型：切换（对话保留）、下载或删除模型
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
sessions-imported = 已导入 { $id }“{ $title }”（{ $branches } 个分支）
sessions-renamed = 已将 { $id } 重命名为“{ $title }”
sessions-no-match = 没有会话包含“{ $query }”
sessions-delete-question = 删除会话 { $id }“{ $title }”（{ $count } 条消息）？
sessions-deleted = 已删除 { $id }
sessions-kept = 已保留 { $id }
sessions-cannot-write = 无法写入 { $path }
sessions-pruned = { $dir } 中的 KV 快照：已删除 { $removed } 个（{ $freed } MiB），保留 { $kept } 个（{ $size } MiB，上限 { $cap } MiB）
sessions-cannot-prune = 无法清理 { $dir } 中的 KV 快照

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
pull-already-present = { $name } 已在 { $dir } 中（与站点上的文件相同；未下载任何内容）
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
engine-thinking-no-switch = 此模型的聊天模板没有思考开关（如 enable_thinking）：thinking = off 不起作用
engine-prompt-too-long = 消息太长，超出上下文：提示词需要 { $needed } 个 token，但为回复保留 { $reserved } 个后只能容纳 { $available } 个；请缩短消息或增大上下文长度（--ctx-size）
engine-nothing-to-answer = 没有可回复的用户消息
engine-no-model = 尚未加载模型
engine-model-not-found = 找不到文件：{ $path }；请检查路径，或重新下载模型
engine-not-a-gguf = { $path } 不是 GGUF 模型文件；请选择 .gguf 文件，或重新下载模型
engine-invalid-model = 模型文件无法使用：{ $detail }
engine-adapter-as-model = { $path } 是 LoRA 适配器，不是模型：请先加载模型，再用 --lora（或 lora_path 设置）指定适配器
engine-model-load = llama.cpp 无法加载模型 { $path }：{ $reason }（llama.cpp 的原始信息见日志文件；该文件可能使用了此版本不支持的架构或量化方式）
engine-lora = 无法加载 LoRA 适配器 { $path }：{ $reason }
engine-draft-model = 无法将 { $draft } 用作 { $model } 的草稿模型：{ $reason }
engine-context-too-big = 无法为 { $path } 创建 { $ctx_size } 个 token 的上下文：{ $reason }（请尝试更小的 --ctx-size）
engine-decode = llama.cpp 处理提示词失败：{ $reason }
engine-remote-context = 对话超出服务器的上下文：{ $detail }
engine-remote = 远程服务器出错：{ $detail }

## stop-reasons
stop-end-of-generation = 回复结束
stop-stop-string = 遇到停止字符串
stop-max-tokens = 达到最大 token 数
stop-context-full = 上下文已满
stop-cancelled = 已取消
stop-interrupted = 已中断（服务器出错）

## clipboard
clipboard-copied-with = 已通过 { $tool } 和 OSC 52 复制
clipboard-copied-osc52 = 已复制（OSC 52）
clipboard-refused = 无法复制：终端拒绝了 OSC 52 序列

## errors-store
store-create-dir = 无法创建会话目录 { $path }：{ $reason }；请让其上级目录可写，或把 GGCHAT_DATA_DIR 设为其他目录
store-read = 无法读取 { $path }：{ $reason }；请检查当前用户是否有权读取该文件
store-write = 无法保存 { $path }：{ $reason }；之前的版本未改动——请释放磁盘空间或让该目录可写，然后重试
store-encode = 无法保存 { $path }：{ $reason }；这是程序缺陷，请报告
store-delete = 无法删除 { $path }：{ $reason }；请检查该目录的权限
store-corrupt = { $path } 不是有效的会话文件：{ $reason }；文件未被改动——请修正它，或把它移出会话目录
store-future-version = { $path } 由更新版本的 ggchat 写入（格式 { $version }）；请升级 ggchat——文件未被改动
store-conflict = { $path } 在此期间已被另一个 ggchat 保存（修订号 { $on_disk }，而本副本基于 { $ours }）；文件未被改动——请把这段对话另存为新会话
store-deleted = { $path } 在本次对话打开后已被删除；未写回
store-too-large = 无法保存 { $path }：会话将达到 { $size }，超过 ggchat 能读回的上限 { $limit }；之前的版本未改动——请开始新的对话继续
store-lock = 无法锁定 { $path }：{ $reason }；请检查会话目录的权限
store-lock-timeout = 无法锁定 { $path }：另一个 ggchat 保存此会话已超过 { $secs } 秒；请重试，或关闭另一个 ggchat
store-not-found = 没有与“{ $query }”匹配的会话；请列出会话查看其 id 和标题
store-ambiguous = “{ $query }”匹配多个会话：{ $candidates }；请提供更长的 id
store-invalid-id = “{ $id }”不是会话 id（id 形如 20261128-114233-3f9a）

## errors-params
param-out-of-range = { $name } = { $value } 超出范围：应为 { $expected }
param-range-temperature = 0 到 5（0 = 贪心）
param-range-top_k = 0 到 100000（0 = 关闭）
param-range-top_p = 大于 0 且不超过 1（1 = 关闭）
param-range-min_p = 0 到 1（0 = 关闭）
param-range-repeat_penalty = 0.1 到 5（1 = 关闭）
param-range-repeat_last_n = 0 到 65536
param-range-presence_penalty = -2 到 2（0 = 关闭）
param-range-frequency_penalty = -2 到 2（0 = 关闭）
param-range-max_tokens = 1 到 1000000
param-range-speculation = off、lookup 或 draft
param-range-draft_max = 1 到 512
param-range-lookup_ngram = 1 到 512
param-range-stop = 非空字符串
param-range-ctx_size = 256 到 1048576 个 token
param-range-gpu_layers = 0 到 10000
param-range-threads = 1 到 1024
param-range-batch_size = 16 到 65536
param-range-flash_attention = auto、on 或 off
param-range-thinking = auto、on 或 off
param-range-thinking_budget = 0 到 1000000 个 token
param-range-alternatives = 2 到 4
param-range-lora_scale = -10 到 10

## errors-config
config-read = 无法读取配置文件 { $path }：{ $reason }
config-save = 无法把设置保存到配置文件 { $path }：{ $reason }
config-invalid = 配置文件 { $path } 有误，第 { $line } 行第 { $column } 列：{ $problem }
config-invalid-key = 配置文件 { $path } 有误，第 { $line } 行第 { $column } 列，键 `{ $key }`：{ $problem }
config-backend-name = 后端名称“{ $name }”只能包含字母、数字、- 和 _
config-language = 未知语言“{ $value }”：请使用 "en"（英语）或 "zh-CN"（简体中文）

## errors-gguf
gguf-redownload = 文件已截断或损坏；请重新下载模型
gguf-not-found = 找不到文件：{ $path }；请检查路径，或重新下载模型
gguf-permission-denied = 没有读取权限：{ $path }；请让当前用户可以读取该文件（chmod u+r）
gguf-is-directory = 这是一个目录，不是 GGUF 文件：{ $path }；请选择其中的 .gguf 文件
gguf-not-regular = 不是普通文件（设备、FIFO 或套接字）：{ $path }；请选择 .gguf 文件
gguf-io = 读取 { $path } 时发生 I/O 错误：{ $reason }
gguf-empty = 文件为空（0 字节）：{ $path }；下载可能失败了，请重新下载模型
gguf-bad-magic = 不是 GGUF 文件（文件头为 { $found }，应为 0x47475546 "GGUF"）：{ $path }；{ $hint }
gguf-hint-html = 它看起来是 HTML/XML 网页（保存成了错误页面而不是模型？）；请重新下载模型
gguf-hint-lfs = 它看起来是 Git LFS 指针文件，而不是模型本身；请运行 `git lfs pull` 或直接下载该文件
gguf-hint-json = 它看起来是 JSON 文件，不是模型；请选择 .gguf 文件
gguf-hint-zip = 它看起来是 ZIP 压缩包（PyTorch 检查点？）；请下载该模型的 GGUF 转换版本
gguf-hint-ggml = 这是旧式 GGML/GGJT 模型；请下载该模型的 GGUF 版本
gguf-hint-not-gguf = ggchat 只能加载 GGUF（.gguf）模型；请重新下载模型或选择其他文件
gguf-unsupported-version = 不支持的 GGUF 版本 { $version }（ggchat 支持版本 2 和 3）：{ $path }；{ $hint }
gguf-hint-version-0 = 文件已损坏；请重新下载模型
gguf-hint-version-1 = GGUF 版本 1 已过时；请下载该模型较新的转换版本
gguf-hint-big-endian = 这是大端序 GGUF 文件；请下载该模型的小端序版本
gguf-hint-newer = 该文件需要更新版本的 ggchat，或者文件已损坏
gguf-truncated = 文件被截断：{ $what }，但文件在第 { $file_size } 字节处结束：{ $path }；下载不完整，请重新下载模型
gguf-count-too-large = { $what } 无法容纳在 { $file_size } 字节的文件中：{ $path }；{ gguf-redownload }
gguf-invalid-utf8 = { $what } 在第 { $offset } 字节处含有无效的 UTF-8：{ $path }；{ gguf-redownload }
gguf-name-too-long = 第 { $offset } 字节处的 { $what } 长 { $len } 字节（最多允许 { $max }）：{ $path }；{ gguf-redownload }
gguf-empty-key = 元数据键 { $index } 为空（位于第 { $offset } 字节）：{ $path }；{ gguf-redownload }
gguf-bad-value-type = 元数据键 '{ $key }' 的值类型 { $value_type } 无效（有效范围 0-12）：{ $path }；{ gguf-redownload }
gguf-nesting-too-deep = 元数据键 '{ $key }' 的数组嵌套超过 { $max } 层：{ $path }；{ gguf-redownload }
gguf-duplicate-key = 元数据键 '{ $key }' 重复：{ $path }；{ gguf-redownload }
gguf-wrong-key-type = 元数据键 '{ $key }' 的类型为 { $found }，应为 { $expected }：{ $path }；{ gguf-redownload }
gguf-bad-alignment = general.alignment 的值 { $alignment } 无效（必须是非零的 2 的幂）：{ $path }；{ gguf-redownload }
gguf-duplicate-tensor = 张量名 '{ $name }' 重复：{ $path }；{ gguf-redownload }
gguf-too-many-dims = 张量 '{ $name }' 有 { $n_dims } 个维度（最多支持 4 个）：{ $path }；{ gguf-redownload }
gguf-unknown-tensor-type = 张量 '{ $name }' 的 ggml 类型 { $ggml_type } 未知：{ $path }；该模型需要更新版本的 llama.cpp，或者文件已损坏
gguf-shape-overflow = 张量 '{ $name }' 的形状 { $dims } 过大（元素数或字节数溢出）：{ $path }；{ gguf-redownload }
gguf-bad-row-size = 张量 '{ $name }' 的行长度 { $row } 不是 { $type_name } 块大小 { $block_size } 的整数倍：{ $path }；{ gguf-redownload }
gguf-unaligned-offset = 张量 '{ $name }' 的数据偏移 { $offset } 不是对齐值 { $alignment } 的整数倍：{ $path }；{ gguf-redownload }
gguf-tensor-past-eof = 张量 '{ $name }' 的数据（偏移 { $offset }，大小 { $size }）超出文件末尾（文件大小 { $file_size }）：{ $path }；{ gguf-redownload }
gguf-missing-split = 分卷模型缺少第 { $index } 部分（共 { $count } 部分）：{ $path }；请把所有部分下载到同一文件夹
gguf-bad-split = 分卷模型无效：{ $detail }：{ $path }；请重新下载模型的所有部分

## errors-remote
remote-label = 后端“{ $name }”（{ $url }）
remote-connect = 无法连接到 { $label }：{ $detail }
remote-connect-timeout = { $secs } 秒内未能建立连接（connect_timeout）；主机是否在线、端口是否开放？
remote-connect-refused = 连接被拒绝：该地址没有服务器在监听；请启动服务器，或检查主机和端口
remote-connect-dns = 无法解析主机名（DNS）；请检查 URL 的拼写
remote-connect-tls = TLS 失败（{ $reason }）；请确认 URL 的协议（http 或 https）与服务器一致，且其证书有效
remote-auth = { $label } 拒绝了请求（HTTP { $status }：{ $detail }）：{ $hint }
remote-auth-key-rejected = ${ $var } 中的密钥未被接受；请把 { $var } 设为有效的密钥
remote-auth-key-unset = 未发送密钥：请把环境变量 { $var } 设为服务器的密钥
remote-auth-no-key-env = 未发送密钥：请在该后端的配置表中设置 `api_key_env`（或使用 --api-key-env VAR），指向保存密钥的环境变量名
remote-unknown-model = { $label } 没有模型“{ $model }”；可用的有：{ $offered }。请用 --model（或该后端配置表中的 `model`）选择一个
remote-context = { $label }：对话超出服务器的上下文：请缩短最后一条消息、开始新对话，或以更大的上下文启动服务器（llama-server -c N）
remote-context-size = { $label }：对话超出服务器的上下文（上下文容量 { $n_ctx } 个 token）：请缩短最后一条消息、开始新对话，或以更大的上下文启动服务器（llama-server -c N）
remote-context-counts = { $label }：对话超出服务器的上下文（提示词 { $prompt_tokens } 个 token，上下文容量 { $n_ctx }）：请缩短最后一条消息、开始新对话，或以更大的上下文启动服务器（llama-server -c N）
remote-busy = { $label } 正忙（HTTP { $status }：{ $detail }）；请稍后重试
remote-busy-retry = { $label } 正忙（HTTP { $status }：{ $detail }）；它要求在 { $after } 秒后重试；请稍后重试
remote-http = { $label } 出错（HTTP { $status }：{ $detail }）
remote-malformed = { $label } 发来了格式错误的流数据块（{ $reason }）：{ $sample }
remote-in-stream = { $label } 在回复中途报告错误：{ $detail }
remote-gone = { $label } 在回复中途关闭了连接（{ $detail }）；已保留部分回复，可以继续生成
remote-timeout = { $label } { $what }，已持续 { $secs } 秒（后端配置表中 { $key } = { $secs }）；服务器是否过载或卡住？
remote-timeout-first-token = { $label } 在 { $secs } 秒内没有发来任何 token（后端配置表中 { $key } = { $secs }）；服务器是否过载或卡住？
remote-timeout-idle = { $label } 在回复中途 { $secs } 秒没有响应（后端配置表中 { $key } = { $secs }）；服务器是否过载或卡住？
remote-timeout-model-list = { $label } 发送模型列表时停顿了 { $secs } 秒（后端配置表中 { $key } = { $secs }）；服务器是否过载或卡住？

## errors-pull
pull-err-invalid-spec = 模型名称“{ $spec }”无效：应为 OWNER/REPO、OWNER/REPO:QUANT（例如 Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M）或 OWNER/REPO/FILE.gguf
pull-err-unreachable = 无法访问 { $source_name }（{ $endpoint }）：{ $reason }；请检查网络，或把 { $setting } 设为可访问的镜像
pull-err-repo-not-found = 在 { $source_name } 上找不到仓库“{ $repo }”{ $hint }
pull-hint-hf-not-found = （请检查名称和版本；私有或受限仓库需要设置 HF_TOKEN）
pull-hint-ms-not-found = （请检查名称；ModelScope 的名称格式为 OWNER/REPO）
pull-err-no-gguf = 仓库“{ $repo }”中没有 .gguf 文件（其中有：{ $files }）；请选择发布 GGUF 文件的仓库，这类仓库名通常以 -GGUF 结尾
pull-err-file-not-found = 仓库“{ $repo }”中没有“{ $wanted }”；其中的 GGUF 文件有：
    { $choices }
pull-err-ambiguous = 仓库“{ $repo }”有多个 GGUF 模型；请用 `ggchat pull { $repo }:QUANT` 或 `ggchat pull { $repo }/FILE.gguf` 选择一个：
    { $choices }
pull-err-incomplete-split = 仓库中的分卷模型“{ $file }”不完整：缺少第 { $index } 部分（共 { $count } 部分）
pull-err-http = { $url } 返回 HTTP { $status }{ $hint }
pull-hint-http-404 = ：仓库中没有该文件（可能已被删除）
pull-hint-http-auth = ：受限或私有仓库需要 HF_TOKEN（请先在站点上接受其条款）
pull-hint-http-416 = ：本地的部分文件与服务器上的不一致；请删除 .part 文件后重试
pull-err-html = { $url } 返回的是网页（HTML）而不是模型文件（登录页面、受限仓库，或镜像配置有误？）；未保留任何文件
pull-err-bad-listing = { $url } 的应答不是预期格式的有效 JSON：{ $reason }
pull-err-interrupted = { $file } 的下载在 { $done } / { $total } 字节处中断（{ $reason }）；已保留部分文件 { $part }：再次运行同一命令即可继续下载
pull-err-disk-full = 写入 { $path } 时磁盘已满：请在 { $dir } 中释放空间，然后再次运行同一命令继续下载（或删除 { $path }）
pull-err-write = 无法写入 { $path }：{ $reason }
pull-err-checksum = { $file } 的校验和不符：站点公布的 sha256 为 { $expected }，下载所得为 { $actual }；文件已删除，未保留任何文件
pull-err-size = { $file } 有 { $actual } 字节，但站点列出的是 { $expected } 字节；文件已删除，未保留任何文件
pull-err-exists = { $path } 已存在，且不是站点上的那个文件（大小或 sha256 不同）；未下载任何内容，该文件保持原样：请删除或移走它，然后重新下载
pull-err-not-gguf = { $file } 不是可用的 GGUF 模型（{ $reason }）；文件已删除，未保留任何文件

## errors-store-problems
store-problem = { $path }：{ $reason }；未作改动
store-problem-future = 由更新版本的 ggchat 写入（格式 { $version }）；请升级 ggchat
store-problem-read = 无法读取：{ $reason }
store-problem-list-dir = 无法列出会话目录：{ $reason }

## tui-models-pull (the model picker's pull and delete)
keys-models-pull = 从 Hugging Face 或 ModelScope 下载模型
keys-models-delete = 删除所选模型文件（会先确认）
keys-models-cancel-pull = 停止下载（.part 文件保留，可稍后续传）
tui-pull-prompt = 要下载的仓库：OWNER/REPO[:QUANT]（ModelScope 用 modelscope:OWNER/REPO）；{ $confirm } 列出文件
tui-pull-listing = 正在列出 { $source } 上 { $repo } 的 GGUF 文件…（{ $close } 返回）
tui-pull-choose-title = { $repo } 中的模型 — { $pick } 下载，{ $close } 返回
tui-pull-parts = ，共 { $count } 个分片
tui-pull-progress = ⇣ 正在下载 { $name } — { $cancel } 取消（保留 .part 文件）
tui-pull-waiting = 正在连接…
tui-pull-started = 正在后台下载 { $name }；可以继续对话
tui-pull-busy = { $name } 仍在下载：请等待完成，或先在模型列表中取消
tui-pull-nothing-to-cancel = 没有可取消的下载
tui-pull-cancelled = 已取消下载 { $name }；.part 文件保留在 { $dir }：再次下载即可续传
tui-pull-done = { $name } 已下载到 { $dir }；可在模型列表中选择
tui-pull-already-present = { $name } 已在 { $dir } 中（与站点上的文件相同；未下载任何内容）
tui-status-pull = ⇣ { $name } { $pct }% · { $rate }/s · 剩余 { $left }
tui-status-pull-starting = ⇣ { $name } 正在连接…
tui-models-confirm-delete = 删除 { $name }（{ $count } 个文件，{ $size }）？{ $yes } 删除，其他任意键保留
tui-models-delete-kept = 已保留 { $name }
tui-models-deleted = 已删除 { $name }（{ $count } 个文件）
tui-models-delete-loaded = { $name } 是正在使用的模型：请先切换到其他模型再删除
tui-models-delete-remote = 服务器上的模型不能在这里删除：只能删除本地文件
tui-models-pull-hint = 按 { $pull } 从 Hugging Face 或 ModelScope 下载（或在终端运行 `ggchat pull OWNER/REPO:QUANT`）
## guard
stop-content-filter = 已被内容过滤器拦截
guard-mark = ⚑ { $category }（{ $action }）
guard-action-warn = 已标记
guard-action-redact = 已遮盖
guard-action-block = 已拦截
tui-guard-input-blocked = 消息未发送：内容过滤器拦截了它（{ $category }）
ask-guard-input-blocked = 提示未发送：内容过滤器拦截了它（类别：{ $category }）
ask-guard-output-blocked = 回复被内容过滤器中止（类别：{ $category }）
ask-guard-marked = 内容过滤器：{ $category }（{ $action }）
guard-err-read = 无法读取内容安全规则文件 { $path }：{ $reason }
guard-err-rule = 内容安全规则文件 { $path } 第 { $line } 行：{ $message }
guard-err-build = 无法编译 { $files } 中的内容安全规则：{ $message }
guard-check-timeout = 内容安全模型检查在 { $ms } 毫秒后超时；未检查
guard-check-failed = 内容安全模型检查失败（{ $error }）；未检查
## thinking
tui-thinking-title = 思考
tui-thinking-folded = 思考 · { $tokens } 个词元 · { $seconds } 秒
tui-thinking-folded-chars = 思考 · { $chars } 个字符
tui-status-thinking = 思考 { $thinking } · 回答 { $answer } 词元
keys-toggle-thinking = 折叠或展开回复的思考过程

## monitor (the monitor pane, F5)
keys-monitor = 监控面板：速度、内存、CPU、模型、累计
monitor-title = 监控 — { $close } 关闭
monitor-na = 不可用
monitor-no-replies = 尚无回复
monitor-label-speed = 生成速度
monitor-label-ttft = 首个 token
monitor-label-context = 上下文
monitor-label-prompt = 提示词
monitor-label-memory = 内存
monitor-label-process = 进程
monitor-label-model = 模型
monitor-label-totals = 本会话
monitor-speed = { $last } token/秒（最近 { $count } 条回复平均 { $mean }）
monitor-ttft = { $last } 毫秒（平均 { $mean } 毫秒）
monitor-context = 已用 { $used } / { $size } token（{ $pct }%）· KV 单元 { $cells }
monitor-memory = 常驻 { $rss }，峰值 { $peak }
monitor-memory-unavailable = 此系统上不可用
monitor-process = { $threads } 个线程，CPU { $cpu }（共 { $cores } 核）
monitor-totals = { $replies } 条回复 · 输入 { $tokens_in } token，输出 { $tokens_out } · 生成用时 { $seconds } 秒
monitor-label-layers = 层
monitor-label-guard = 安全过滤
monitor-guard = 本会话 { $session } 次，启动以来 { $total } 次
monitor-label-none = {""}
monitor-label-speculation = 猜测
monitor-speculation = 上条回复：{ $drafted } 个中保留 { $accepted } 个（{ $pct }%）
monitor-prompt-last = 上条回复：复用 { $reused }，计算 { $evaluated }
monitor-prompt-total = 累计：复用 { $reused }，计算 { $evaluated }
monitor-model = { $name }，加载耗时 { $load } 毫秒
monitor-layers = { $offload } · { $threads } 个线程
monitor-layers-remote = 在服务器上（不可用）
## the conversation tree in the chat (src/tui/app/branches.rs)
keys-select-message = 选择一条消息（在自己的消息上按 Enter 编辑）
keys-sibling = 消息的上一个 / 下一个候选
keys-delete-branch = 删除所选消息所在的分支（先确认）
tui-input-title-editing = 正在编辑之前的消息：发送后将开启新分支（Esc 取消）
tui-chat-selected-hint = 已选中
tui-notice-no-message-to-select = 还没有可选择的消息
tui-notice-edit-abandoned = 已放弃编辑：对话未改变
tui-notice-select-a-user-message = 只能编辑自己的消息：请选择其中一条
tui-notice-editing-earlier = 正在编辑之前的消息：发送后将从这里开启新分支（原分支保留）
tui-notice-no-alternatives = 这条消息没有候选
tui-notice-alternative = 第 { $position } 个候选，共 { $count } 个
tui-notice-select-to-delete = 请先选择一条消息：将删除它及其分支中的后续内容
tui-notice-delete-whole-chat = 这是整个对话：请改在会话面板中删除该会话
tui-notice-confirm-delete-branch = 删除这条消息及其在本分支中的后续内容（共 { $count } 条消息）？按 { $yes } 删除，按其他键保留
tui-notice-branch-kept = 未删除任何内容
tui-notice-branch-deleted = 已删除 { $count } 条消息
