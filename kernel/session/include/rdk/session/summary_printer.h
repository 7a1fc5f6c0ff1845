// End-of-run tables for attach and demo, as text or JSON.
#pragma once

#include <cstdio>
#include <string>

#include "rdk/session/client.h"
#include "rdk/session/server.h"

namespace rdk::session {

void printClientSummary(std::FILE* out, const ClientSummary& summary);
std::string summaryJson(const ClientSummary& summary);
void printServerSummary(std::FILE* out, const ServerSummary& summary);

}  // namespace rdk::session
