// The plugin table and its JSON form.
#include "rdk/cli/plugin_listing.h"

#include <algorithm>
#include <iostream>

#include "rdk/config/config.h"
#include "rdk/json/document.hpp"
#include "rdk/kernel/plugin_catalog.h"
#include "rdk/kernel/plugin_status.h"

namespace rdk::cli {
namespace {

namespace status = rdk::plugin::status;
using rdk::json::Value;
using rdk::plugin::StatusRow;

std::string abiText(const StatusRow& row) {
  if (row.abiMajor == 0 && row.abiMinor == 0)
    return "-";
  return std::to_string(row.abiMajor) + "." + std::to_string(row.abiMinor);
}

std::string orDash(const std::string& s) {
  return s.empty() ? "-" : s;
}

// Long capability lists (auth digests) would push the path off screen; --json has them all.
std::string shortList(const std::string& list, size_t maxChars = 40) {
  if (list.size() <= maxChars)
    return orDash(list);
  size_t cut = list.rfind(',', maxChars);
  if (cut == std::string::npos)
    cut = maxChars;
  const size_t more = static_cast<size_t>(std::count(list.begin() + cut, list.end(), ','));
  return list.substr(0, cut) + ",+" + std::to_string(more) + " more";
}

void printTable(const std::vector<StatusRow>& rows, const std::vector<std::string>& dirs,
                const std::vector<std::string>& loaded, std::ostream& out) {
  out << "Plugin path:";
  for (const std::string& dir : dirs)
    out << " " << dir;
  out << (dirs.empty() ? " (no directories)\n" : "\n");
  const std::vector<std::string> headers = {"NAME",   "KIND",         "VERSION", "ABI",
                                            "STATUS", "CAPABILITIES", "PATH"};
  std::vector<std::vector<std::string>> cells;
  for (const StatusRow& r : rows) {
    cells.push_back({r.name, orDash(r.kinds), orDash(r.version), abiText(r), r.status,
                     shortList(r.capabilities), r.path});
  }
  std::vector<size_t> width(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) {
    width[c] = headers[c].size();
    for (const auto& line : cells)
      width[c] = std::max(width[c], line[c].size());
  }
  auto printLine = [&](const std::vector<std::string>& line) {
    for (size_t c = 0; c < line.size(); ++c) {
      out << line[c];
      if (c + 1 < line.size())
        out << std::string(width[c] - line[c].size() + 2, ' ');
    }
    out << "\n";
  };
  printLine(headers);
  for (size_t i = 0; i < rows.size(); ++i) {
    printLine(cells[i]);
    if (!rows[i].reason.empty())
      out << "    reason: " << rows[i].reason << "\n";
  }
  size_t usable = 0;
  for (const StatusRow& r : rows) {
    if (r.status == status::kOk || r.status == status::kLoaded)
      ++usable;
  }
  out << rows.size() << " files, " << usable << " usable, " << loaded.size() << " loaded";
  for (size_t i = 0; i < loaded.size(); ++i)
    out << (i == 0 ? ": " : ", ") << loaded[i];
  out << "\n";
}

void printJson(const std::vector<StatusRow>& rows, const std::vector<std::string>& dirs,
               const std::vector<std::string>& loaded, std::ostream& out) {
  Value root = Value::object();
  Value kernel = Value::object();
  kernel.set("abi",
             std::to_string(RDK_PLUGIN_ABI_MAJOR) + "." + std::to_string(RDK_PLUGIN_ABI_MINOR));
  kernel.set("entry_symbol", RDK_PLUGIN_ENTRY_SYMBOL);
  root.set("kernel", std::move(kernel));
  Value path = Value::array();
  for (const std::string& dir : dirs)
    path.push(dir);
  root.set("search_path", std::move(path));
  Value plugins = Value::array();
  for (const StatusRow& r : rows) {
    Value p = Value::object();
    p.set("name", r.name);
    p.set("version", r.version);
    p.set("kinds", r.kinds);
    p.set("capabilities", r.capabilities);
    p.set("abi", abiText(r));
    p.set("path", r.path);
    p.set("status", r.status);
    p.set("reason", r.reason);
    p.set("loaded", r.loaded);
    plugins.push(std::move(p));
  }
  root.set("plugins", std::move(plugins));
  Value loadedArray = Value::array();
  for (const std::string& name : loaded)
    loadedArray.push(name);
  root.set("loaded", std::move(loadedArray));
  out << root.dump(2) << "\n";
}

Value detailJson(const rdk::plugin::CatalogEntry& e, const rdk::config::Config& config) {
  Value p = Value::object();
  p.set("name", e.row.name);
  p.set("version", e.row.version);
  p.set("kinds", e.row.kinds);
  p.set("abi", abiText(e.row));
  p.set("status", e.row.status);
  p.set("reason", e.row.reason);
  p.set("library", e.libraryPath);
  p.set("manifest", e.manifestPath);
  p.set("loaded", e.row.loaded);
  if (e.manifest) {
    p.set("probe", e.manifest->probe);
    p.set("features", e.manifest->featuresJson);
    Value settings = Value::array();
    for (const auto& s : e.manifest->settings) {
      Value o = Value::object();
      o.set("key", s.key);
      o.set("type", rdk::config::describeType(s.entry()));
      o.set("default", s.defaultValue);
      o.set("value", config.find(s.key).value_or(s.defaultValue));
      o.set("help", s.help);
      settings.push(std::move(o));
    }
    p.set("settings", std::move(settings));
  }
  if (e.inspection)
    p.set("inspection", *e.inspection);
  return p;
}

void printDetail(const rdk::plugin::CatalogEntry& e, const rdk::config::Config& config,
                 std::ostream& out) {
  const auto field = [&out](const std::string& label, const std::string& value) {
    out << label << ":" << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ')
        << orDash(value) << "\n";
  };
  field("name", e.row.name);
  field("version", e.row.version);
  field("kinds", e.row.kinds);
  field("abi", abiText(e.row));
  field("status", e.row.status);
  field("reason", e.row.reason);
  field("library", e.libraryPath);
  field("manifest", e.manifestPath);
  if (!e.manifest)
    return;
  field("probe", e.manifest->probe);
  out << "\nfeatures (" << e.manifest->features.size() << "):\n";
  for (const rdk::plugin::Feature& f : e.manifest->features) {
    out << "  " << rdk::plugin::kindName(f.kind) << " " << f.name << "  rank " << f.rank << "\n";
    std::string props;
    if (f.properties.isObject()) {
      for (const auto& [name, value] : f.properties.asObject()) {
        if (name == "kind" || name == "name" || name == "rank")
          continue;
        props += (props.empty() ? "" : ", ") + name + "=" + value.dump();
      }
    }
    if (!props.empty())
      out << "    " << props << "\n";
  }
  out << "\nsettings (" << e.manifest->settings.size() << "):\n";
  for (const auto& s : e.manifest->settings) {
    const std::string value = config.find(s.key).value_or(s.defaultValue);
    out << "  " << s.key << " = " << value
        << (value == s.defaultValue ? "" : "   (default " + s.defaultValue + ")") << "  ["
        << rdk::config::describeType(s.entry()) << "]\n    " << s.help << "\n";
  }
  if (e.inspection)
    out << "\ninspection: " << e.inspection->dump() << "\n";
}

}  // namespace

int describePlugin(CommandContext& ctx, const ListingOptions& options, std::ostream& out) {
  rdk::plugin::CatalogEntry entry;
  bool found = ctx.registry.catalogEntry(options.plugin, &entry);
  // The alias rule of plugins.allow/deny: "ssl" is transport-ssl.
  for (const char* kind : {"encoder-", "transport-", "auth-", "platform-"}) {
    if (!found)
      found = ctx.registry.catalogEntry(kind + options.plugin, &entry);
  }
  if (!found) {
    std::string names;
    for (const StatusRow& row : ctx.registry.rows())
      names += (names.empty() ? "" : ", ") + row.name;
    std::cerr << "rdkernel: no plugin named '" << options.plugin << "' (plugins: " << names
              << ")\n";
    return 1;
  }
  const rdk::config::Config config = ctx.registry.config();
  if (options.json) {
    out << detailJson(entry, config).dump(2) << "\n";
  } else {
    printDetail(entry, config, out);
  }
  return 0;
}

bool parseListingArgs(const std::vector<std::string>& args, ListingOptions* options,
                      std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      options->json = true;
    } else if (a == "--verify") {
      options->verify = true;
    } else if (a == "--probe") {
      options->fresh = true;
    } else if (a == "--explain") {
      if (i + 1 >= args.size()) {
        *error = "--explain needs a client hello JSON file";
        return false;
      }
      options->explainFile = args[++i];
    } else if (!a.empty() && a[0] != '-' && options->plugin.empty()) {
      options->plugin = a;
    } else {
      *error = "unknown option for --plugins: " + a;
      return false;
    }
  }
  return true;
}

int listPlugins(CommandContext& ctx, const ListingOptions& options, std::ostream& out) {
  if (!options.explainFile.empty()) {
    if (!explainHook) {
      std::cerr << "rdkernel: negotiation not available\n";
      return 1;
    }
    return explainHook(ctx, options.explainFile);
  }
  // Precise reasons (missing dependency, init failure, probe) come from child processes, so
  // listing never maps a plugin into this process.
  ctx.registry.inspectAll(options.fresh);
  if (!options.plugin.empty())
    return describePlugin(ctx, options, out);
  if (options.verify) {
    for (const StatusRow& row : ctx.registry.rows()) {
      if (row.status == status::kOk)
        ctx.registry.loadByName(row.name);
    }
  }
  const std::vector<StatusRow> rows = ctx.registry.rows();
  const std::vector<std::string> dirs = ctx.registry.searchDirs();
  const std::vector<std::string> loaded = ctx.registry.loadedPluginNames();
  if (options.json) {
    printJson(rows, dirs, loaded, out);
  } else {
    printTable(rows, dirs, loaded, out);
  }
  if (options.verify)
    ctx.registry.shutdownAll();
  return 0;
}

int pluginsCommand(CommandContext& ctx, const std::vector<std::string>& args) {
  ListingOptions options;
  std::string error;
  if (!parseListingArgs(args, &options, &error)) {
    std::cerr << "rdkernel: " << error << "\n";
    return 2;
  }
  return listPlugins(ctx, options, std::cout);
}

}  // namespace rdk::cli
