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
tui-settings-title = 设置 — Enter 编辑，Ctrl+S 保存为默认值，Esc 关闭
tui-settings-reloading = 正在重新加载模型；对话保留
tui-settings-next-reply = 从下一条回复起生效
tui-settings-nothing-to-save = 没有可保存的内容：本面板中没有修改任何设置
tui-settings-saved = 已将 { $names } 保存为默认值，写入 { $path }
tui-system-prompt-title = 系统提示词 — Ctrl+S 保存，Esc 取消
tui-personas-title = 角色 — Enter 选择，Esc 关闭
tui-sessions-title = 会话 — Enter 打开，/ 搜索，r 重命名，d 删除，n 新建，Esc 关闭
tui-sessions-details = { $updated } · { $count } 条消息 · { $model } · { $id }
tui-sessions-no-model = 无模型
tui-sessions-empty = 还没有已保存的会话
tui-sessions-no-match = 没有匹配的会话
tui-sessions-search = 搜索：
tui-sessions-rename = 标题：
tui-sessions-confirm-delete = 删除这个会话？y / n
tui-sessions-matches = “{ $query }”的搜索结果
tui-sessions-count = 共 { $count } 个会话
tui-models-title = 模型 — Enter 切换（对话保留），Esc 关闭
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
