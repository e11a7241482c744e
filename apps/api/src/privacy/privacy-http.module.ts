import { Module } from '@nestjs/common';
import { PrivacyModule } from '@lms/privacy';
import { PrivacyController } from './privacy.controller.js';

@Module({ imports: [PrivacyModule], controllers: [PrivacyController] })
export class PrivacyHttpModule {}
