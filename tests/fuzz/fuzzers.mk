# The libFuzzer targets, built with clang++ whatever compiler the main build uses (run through
# build_fuzzers.sh: make -f fuzzers.mk CXX=clang++ SRC=<source dir> OUT=<build dir>).
# Objects go to $(OUT)/obj/<path in the source tree>.o with clang's dependency files, so a change
# to a header (the udp core's, the protocol's...) rebuilds exactly what includes it.
CXX ?= clang++
SRC ?= ../..
OUT ?= .

FLAGS := -std=c++20 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
INC := -I$(SRC)/sdk/include \
  -I$(SRC)/kernel/protocol/include -I$(SRC)/kernel/protocol/src \
  -I$(SRC)/kernel/authcfg/include -I$(SRC)/kernel/config/include \
  -I$(SRC)/kernel/plugin/include \
  -I$(SRC)/plugins/transports/udp/core -I$(SRC)/plugins/auth/password/src \
  -I$(SRC)/plugins/transports/ws -I$(SRC)/kernel/proxy/include

# Library sources per area (the same files the CMake libraries are made of).
PROTOCOL := $(wildcard $(SRC)/kernel/protocol/src/*.cpp $(SRC)/kernel/protocol/src/messages/*.cpp)
UDP_CORE := $(wildcard $(SRC)/plugins/transports/udp/core/*.cpp)
# The password plugin's code without its C entry point (password_plugin.cpp).
AUTH := $(filter-out %/password_plugin.cpp,$(wildcard $(SRC)/plugins/auth/password/src/*.cpp))
AUTHCFG := $(SRC)/kernel/authcfg/src/auth_spec.cpp
CONFIG := $(wildcard $(SRC)/kernel/config/*.cpp)
MANIFEST := $(SRC)/kernel/plugin/plugin_manifest.cpp
UDP_OPTIONS := $(SRC)/plugins/transports/udp/core/udp_options.cpp
# The ws plugin's request and frame rules and its web root (no sockets, no plugin entry point).
# The proxy's UDP router and hello reader (no sockets).
PROXY_UDP := $(addprefix $(SRC)/kernel/proxy/src/,udp_router.cpp udp_hello.cpp)
# The proxy's HTTP head and WebSocket frame code (ws:// and wss:// binds).
PROXY_WS := $(SRC)/kernel/proxy/src/ws_codec.cpp
WS := $(addprefix $(SRC)/plugins/transports/ws/,ws_frame_rules.cpp ws_handshake_rules.cpp www_root.cpp)

obj = $(patsubst $(SRC)/%.cpp,$(OUT)/obj/%.o,$(1))
POCO := -lPocoFoundation

FUZZERS := record_reader rdecode bdecode messages udp_wire udp_session auth config plugin_json \
  ws_http proxy_udp proxy_ws

all: $(addprefix $(OUT)/fuzz_,$(FUZZERS)) $(OUT)/make_corpus

$(OUT)/obj/%.o: $(SRC)/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(FLAGS) $(INC) -MMD -MP -c $< -o $@

$(OUT)/fuzz_%: $(OUT)/obj/tests/fuzz/fuzz_%.o
	$(CXX) $(FLAGS) -fsanitize=fuzzer $^ $(LIBS_$*) -o $@

LIBS_record_reader := -llz4 -lz
LIBS_rdecode := -llz4 -lz
LIBS_bdecode := -llz4 -lz
LIBS_messages := -llz4 -lz
LIBS_udp_wire := $(POCO) -lcrypto -lisal
LIBS_udp_session := $(POCO) -lcrypto -lisal
LIBS_auth := $(POCO) -lcrypto
LIBS_config := $(POCO)
LIBS_plugin_json := $(POCO)
LIBS_ws_http := -lPocoNet -lPocoFoundation
LIBS_proxy_udp := $(POCO) -lcrypto -lisal -llz4 -lz
LIBS_proxy_ws := -lcrypto

$(OUT)/fuzz_record_reader $(OUT)/fuzz_rdecode $(OUT)/fuzz_bdecode $(OUT)/fuzz_messages: \
  $(call obj,$(PROTOCOL))
$(OUT)/fuzz_udp_wire $(OUT)/fuzz_udp_session: $(call obj,$(UDP_CORE))
$(OUT)/fuzz_auth: $(call obj,$(AUTH) $(AUTHCFG))
$(OUT)/fuzz_config: $(call obj,$(CONFIG) $(AUTHCFG))
$(OUT)/fuzz_plugin_json: $(call obj,$(MANIFEST) $(UDP_OPTIONS) $(CONFIG) $(AUTHCFG))
$(OUT)/fuzz_ws_http: $(call obj,$(WS))
$(OUT)/fuzz_proxy_udp: $(call obj,$(PROXY_UDP) $(UDP_CORE) $(PROTOCOL))
$(OUT)/fuzz_proxy_ws: $(call obj,$(PROXY_WS))

# Writes the seed corpora (not run by ctest): make_corpus tests/fuzz/corpus (docs/testing.md).
$(OUT)/make_corpus: $(call obj,$(SRC)/tests/fuzz/make_corpus.cpp $(PROTOCOL) $(UDP_CORE) $(AUTH))
	$(CXX) $(FLAGS) $^ -llz4 -lz $(POCO) -lcrypto -lisal -o $@

.PHONY: all
.SECONDARY:
-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
