// Everything of the packet layer in one include.
#pragma once

#include "rdk/protocol/capabilities.h"
#include "rdk/protocol/codec.h"
#include "rdk/protocol/compression.h"
#include "rdk/protocol/message.h"
#include "rdk/protocol/message_dispatcher.h"
#include "rdk/protocol/messages/all.h"
#include "rdk/protocol/ping_stats.h"
#include "rdk/protocol/record.h"
#include "rdk/protocol/record_reader.h"
#include "rdk/protocol/record_writer.h"
#include "rdk/protocol/value.h"
