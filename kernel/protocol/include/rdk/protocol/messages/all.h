// Every typed message.
#pragma once

#include "rdk/protocol/messages/clipboard.h"
#include "rdk/protocol/messages/core.h"
#include "rdk/protocol/messages/draw.h"
#include "rdk/protocol/messages/input.h"
#include "rdk/protocol/messages/keyboard.h"
#include "rdk/protocol/messages/media.h"
#include "rdk/protocol/messages/window.h"
