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
