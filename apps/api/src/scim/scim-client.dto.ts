import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsName } from '@lms/platform';
import { DEPARTMENT_MATCHES, type DepartmentMatch } from '@lms/identity';

export class CreateScimClientDto {
  @ApiProperty({ example: 'Entra ID (Ministry of Finance)' })
  @IsName(200)
  name!: string;

  @ApiProperty({ format: 'uuid', description: 'The client sees and provisions people of this unit and everything below it' })
  @IsUUID()
  scopeOrgUnitId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Where people without a matching department go (default: the scope unit)' })
  @IsOptional()
  @IsUUID()
  defaultOrgUnitId?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_MATCHES, description: 'How the SCIM enterprise department names a unit (default code)' })
  @IsOptional()
  @IsIn(DEPARTMENT_MATCHES)
  departmentMatch?: DepartmentMatch;
}
