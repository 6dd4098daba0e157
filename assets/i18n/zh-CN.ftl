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
