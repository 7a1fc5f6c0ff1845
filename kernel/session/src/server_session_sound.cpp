// ServerSession: the server's captured sound for this client, Xpra 3.1.3's speaker forwarding
// (SoundSender has the protocol; this file ties it to the hello, the dispatcher and the channel).
#include <Poco/Logger.h>

#include "rdk/audio/opus_source.h"
#include "rdk/protocol/messages/all.h"
#include "rdk/session/hello_builder.h"
#include "rdk/session/server_session.h"

namespace rdk::session {

void ServerSession::setUpSound(ServerHelloInputs& hello) {
  audio::OpusSource* source = context_.sound;
  if (!source)
    return;
  hello.soundEncoders = SoundSender::encoders();
  sound_ = std::make_unique<SoundSender>(
      SoundPeer{client_.soundReceive, client_.soundDecoders, client_.soundBundleMetadata},
      source->idHeader(), source->preSkip(), source->format().frameMs);
  active_.on<protocol::SoundControl>([this](const protocol::SoundControl& control) {
    std::string reply;
    const auto packets = sound_->control(control, &reply);
    Poco::Logger::get("rdk.server")
        .information("session %?u: sound-control %s: %s", id_, control.command, reply);
    sendSound(packets);
  });
}

void ServerSession::sendSound(const std::vector<SoundSender::Out>& packets) {
  // Droppable frames over UDP are the transport's unreliable class: a lost one is 20 ms the
  // client conceals, never a retransmission that holds later audio (or windows) back.
  for (const SoundSender::Out& out : packets)
    channel_->send(out.data, out.droppable ? Delivery::Droppable : Delivery::Reliable);
}

void ServerSession::onSoundFrames(const std::vector<audio::EncodedFrame>& frames) {
  if (state_ != State::Active || !sound_ || !sound_->streaming())
    return;
  for (const audio::EncodedFrame& f : frames)
    sendSound(sound_->frame(f));
}

}  // namespace rdk::session
