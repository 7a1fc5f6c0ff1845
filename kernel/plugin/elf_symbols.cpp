// A bounds-checked reader of an ELF64 object's dynamic symbol table.
//
// Why not boost::dll::library_info: in Boost 1.74 it reads .symtab (absent from stripped, i.e.
// installed, plugins) and indexes the string table without bounds checks, so a truncated file
// could crash the scan. The dynamic table is what dlsym sees, and it survives stripping.
#include <elf.h>

#include <cstring>
#include <fstream>

#include "rdk/kernel/plugin_catalog.h"

namespace rdk::plugin {
namespace {

bool readAt(std::ifstream& in, uint64_t offset, void* out, size_t size, uint64_t fileSize) {
  if (offset > fileSize || size > fileSize - offset)
    return false;
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(static_cast<char*>(out), static_cast<std::streamsize>(size));
  return static_cast<size_t>(in.gcount()) == size;
}

}  // namespace

std::vector<std::string> elfDynamicSymbols(const std::string& path, std::string* error) {
  std::vector<std::string> names;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open the file";
    return names;
  }
  in.seekg(0, std::ios::end);
  const uint64_t fileSize = static_cast<uint64_t>(in.tellg());
  Elf64_Ehdr header;
  if (!readAt(in, 0, &header, sizeof header, fileSize) ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    *error = "not an ELF file";
    return names;
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_shentsize != sizeof(Elf64_Shdr)) {
    *error = "not a 64-bit ELF object";
    return names;
  }
  if (header.e_type != ET_DYN) {
    *error = "not a shared object";
    return names;
  }
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    if (!readAt(in, header.e_shoff + uint64_t{i} * sizeof section, &section, sizeof section,
                fileSize)) {
      *error = "truncated section table";
      return {};
    }
    if (section.sh_type != SHT_DYNSYM)
      continue;
    Elf64_Shdr strings;
    if (section.sh_link >= header.e_shnum ||
        !readAt(in, header.e_shoff + uint64_t{section.sh_link} * sizeof strings, &strings,
                sizeof strings, fileSize) ||
        strings.sh_size > (64u << 20)) {
      *error = "bad dynamic string table";
      return {};
    }
    std::string text(strings.sh_size, '\0');
    if (!readAt(in, strings.sh_offset, text.data(), text.size(), fileSize)) {
      *error = "truncated dynamic string table";
      return {};
    }
    const uint64_t count = section.sh_size / sizeof(Elf64_Sym);
    for (uint64_t s = 0; s < count && s < (1u << 20); ++s) {
      Elf64_Sym sym;
      if (!readAt(in, section.sh_offset + s * sizeof sym, &sym, sizeof sym, fileSize))
        break;
      // Only symbols this object defines and exports can be found by dlsym.
      if (sym.st_shndx == SHN_UNDEF || ELF64_ST_BIND(sym.st_info) == STB_LOCAL)
        continue;
      if (ELF64_ST_VISIBILITY(sym.st_other) != STV_DEFAULT &&
          ELF64_ST_VISIBILITY(sym.st_other) != STV_PROTECTED) {
        continue;
      }
      if (sym.st_name >= text.size())
        continue;
      names.emplace_back(text.c_str() + sym.st_name);
    }
    return names;
  }
  *error = "no dynamic symbol table";
  return names;
}

}  // namespace rdk::plugin
