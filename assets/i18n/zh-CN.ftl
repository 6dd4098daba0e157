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
