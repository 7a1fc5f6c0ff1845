// The plugin table and its JSON form.
#include "rdk/cli/plugin_listing.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <iostream>

#include "rdk/kernel/plugin_status.h"

namespace rdk::cli {
namespace {

namespace status = rdk::plugin::status;
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
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  Poco::JSON::Object::Ptr kernel = new Poco::JSON::Object;
  kernel->set("abi",
              std::to_string(RDK_PLUGIN_ABI_MAJOR) + "." + std::to_string(RDK_PLUGIN_ABI_MINOR));
  kernel->set("entry_symbol", RDK_PLUGIN_ENTRY_SYMBOL);
  root->set("kernel", kernel);
  Poco::JSON::Array::Ptr path = new Poco::JSON::Array;
  for (const std::string& dir : dirs)
    path->add(dir);
  root->set("search_path", path);
  Poco::JSON::Array::Ptr plugins = new Poco::JSON::Array;
  for (const StatusRow& r : rows) {
    Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
    p->set("name", r.name);
    p->set("version", r.version);
    p->set("kinds", r.kinds);
    p->set("capabilities", r.capabilities);
    p->set("abi", abiText(r));
    p->set("path", r.path);
    p->set("status", r.status);
    p->set("reason", r.reason);
    p->set("loaded", r.loaded);
    plugins->add(p);
  }
  root->set("plugins", plugins);
  Poco::JSON::Array::Ptr loadedArray = new Poco::JSON::Array;
  for (const std::string& name : loaded)
    loadedArray->add(name);
  root->set("loaded", loadedArray);
  Poco::JSON::Stringifier::stringify(root, out, 2);
  out << "\n";
}

}  // namespace

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
