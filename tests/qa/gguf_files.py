"""Writing GGUF files for tests: the packaged SmolLM2's tensors with other metadata (another
chat template, none, a tokenizer flag), the way gguf's `gguf-new-metadata` script copies one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATE = "tokenizer.chat_template"


def copy_gguf(source: Path, target: Path, template: str | None,
              changes: dict[str, Any] | None = None) -> Path:
    """`source` with its chat template replaced by `template` (None: no template at all)
    and the boolean/string keys in `changes` set; the tensors are copied unchanged."""
    import gguf

    reader = gguf.GGUFReader(str(source))
    architecture = reader.get_field(gguf.Keys.General.ARCHITECTURE).contents()
    writer = gguf.GGUFWriter(str(target), architecture, endianess=reader.endianess)
    changes = dict(changes or {})
    for field in reader.fields.values():
        name = field.name
        if name == gguf.Keys.General.ARCHITECTURE or name.startswith("GGUF."):
            continue  # written by GGUFWriter itself
        if name.startswith(TEMPLATE) or name in changes:
            continue
        kind = field.types[0]
        sub_type = field.types[-1] if kind == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(name, field.contents(), kind, sub_type=sub_type)
    for name, value in changes.items():
        kind = gguf.GGUFValueType.BOOL if isinstance(value, bool) else gguf.GGUFValueType.STRING
        writer.add_key_value(name, value, kind)
    if template is not None:
        writer.add_chat_template(template)
    for tensor in reader.tensors:
        writer.add_tensor_info(tensor.name, tensor.data.shape, tensor.data.dtype,
                               tensor.data.nbytes, tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(tensor.data, tensor_endianess=reader.endianess)
    writer.close()
    return target
