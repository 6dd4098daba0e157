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
