// End-of-run tables for attach and demo, as text or JSON.
#pragma once

#include <cstdio>
#include <string>

#include "rdk/session/client.h"
#include "rdk/session/server.h"

namespace rdk::cli {

void printClientSummary(std::FILE* out, const session::ClientSummary& summary);
std::string summaryJson(const session::ClientSummary& summary);
void printServerSummary(std::FILE* out, const session::ServerSummary& summary);

}  // namespace rdk::cli
