client addLeed uses booking_helper.checkBooking, async_db_helper, async_email_helper.notifyUsers, async_sms_helper.textSubscribers, async_email_helper.sendReceipt;
enum Trade { caricatures, dj, photography, magician, face_painting, balloon_art, live_music, photo_booth, juggling }
enum Short { caricatures, dj, photography, magician, face_painting, balloon_art, live_music }
struct VeryLongFieldNames { @length(min: 1, max: 64) @deprecated("this line is long and stays one line") a_rather_long_field_name_indeed?: list<map<string>>; }
controller booking_helper uses booking_helper.checkBooking, async_db_helper, async_email_helper.notifyUsers {
    fn checkBooking {} -> {}
}
controller async_db_helper {}
controller async_email_helper { async fn notifyUsers {} async fn sendReceipt {} }
controller async_sms_helper { async fn textSubscribers {} }
